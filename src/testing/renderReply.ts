// Turning a scripted reply into the Server-Sent Events the fake writes, and reading a request.
import {
  isJsonObject,
  type JsonValue,
  type JsonObject,
  type ResponsesRequestBody,
  type TokenUsage,
  type ReplyContext,
  type StreamStep,
  type StreamReply,
} from "./replyTypes.js";

function usageJson(usage: TokenUsage): JsonObject {
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningOutputTokens },
    total_tokens: usage.totalTokens,
  };
}

/**
 * Renders a streamed reply into the steps the server writes. Exported for the server and
 * for tests that want to see the exact event sequence without HTTP.
 *
 * @param streamed the reply.
 * @param context ids and the request being answered.
 * @returns the steps, in order; `response.created` first.
 * @example
 * ```ts
 * const steps = renderStreamReply(reply.text("hi"), context);
 * ```
 */
export function renderStreamReply(streamed: StreamReply, context: ReplyContext): StreamStep[] {
  const model = typeof context.request["model"] === "string" ? context.request["model"] : "mock-model";
  const base = { id: context.responseId, object: "response", created_at: Math.floor(Date.now() / 1000), model };
  const steps: StreamStep[] = [
    { delayMs: 0, events: [{ type: "response.created", response: { ...base, status: "in_progress", output: [] } }] },
  ];
  const rendered = streamed.outputs.map((o, index) => o.render(context, index));
  for (const r of rendered) {
    steps.push(...r.opening);
    if (streamed.closeOutputs) steps.push(...r.closing);
  }
  const ending = streamed.ending;
  if (ending.kind === "completed") {
    const outputTokens = streamed.usage?.outputTokens ?? rendered.reduce((sum, r) => sum + r.outputTokens, 0);
    const inputTokens = streamed.usage?.inputTokens ?? 10;
    const usage: TokenUsage = {
      inputTokens,
      cachedInputTokens: streamed.usage?.cachedInputTokens ?? 0,
      outputTokens,
      reasoningOutputTokens: streamed.usage?.reasoningOutputTokens ?? 0,
      totalTokens: streamed.usage?.totalTokens ?? inputTokens + outputTokens,
    };
    steps.push({
      delayMs: 0,
      events: [
        {
          type: "response.completed",
          response: { ...base, status: "completed", output: rendered.map((r) => r.item), usage: usageJson(usage) },
        },
      ],
    });
  } else if (ending.kind === "failed") {
    steps.push({
      delayMs: 0,
      events: [
        {
          type: "response.failed",
          response: { ...base, status: "failed", output: [], error: { code: ending.code, message: ending.message } },
        },
      ],
    });
  }
  return steps;
}

function isWrapper(text: string): boolean {
  // Context codex injects as role "user" messages, not typed by the user.
  return /^\s*(<environment_context>|<user_instructions>|<turn_aborted>|# AGENTS\.md instructions)/.test(text);
}


/**
 * The text of the last user message of a Responses request (its `input_text` parts joined
 * with newlines), skipping the context codex injects as user messages (`<environment_context>` …).
 *
 * @param request a recorded request body.
 * @returns the text, or `null` when the request has no user message.
 * @example
 * ```ts
 * expect(lastUserText(fake.requests[0])).toBe("hello");
 * ```
 */
export function lastUserText(request: ResponsesRequestBody): string | null {
  const input = request["input"];
  if (!Array.isArray(input)) return null;
  const items: readonly JsonValue[] = input;
  for (let i = items.length - 1; i >= 0; i -= 1) {
    const item = items[i];
    if (!isJsonObject(item) || item["role"] !== "user") continue;
    const content = item["content"];
    const texts: string[] = [];
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content as readonly JsonValue[]) {
        if (isJsonObject(part) && part["type"] === "input_text" && typeof part["text"] === "string") texts.push(part["text"]);
      }
    }
    const own = texts.filter((t) => !isWrapper(t));
    if (own.length > 0) return own.join("\n");
  }
  return null;
}
