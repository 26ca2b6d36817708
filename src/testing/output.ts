// The output items a scripted reply is made of: messages, function calls, goal updates.
import type { JsonObject, ResponsesStreamEvent, StreamStep, ReplyOutput, MessageOptions, FunctionCallOptions } from "./replyTypes.js";

function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [];
}

function splitEvenly(text: string, count: number): string[] {
  const chars = Array.from(text);
  const n = Math.max(1, Math.min(Math.floor(count), chars.length));
  if (chars.length === 0) return [];
  const pieces: string[] = [];
  for (let i = 0; i < n; i += 1) {
    pieces.push(chars.slice(Math.floor((i * chars.length) / n), Math.floor(((i + 1) * chars.length) / n)).join(""));
  }
  return pieces;
}

/** The pieces a message is streamed in (see `MessageOptions.deltas`); shared with the fake app-server. */
export function chunksOf(text: string, deltas: MessageOptions["deltas"]): readonly string[] {
  if (deltas === undefined) return splitWords(text);
  if (typeof deltas === "number") return splitEvenly(text, deltas);
  if (deltas.join("") !== text) throw new RangeError("reply: the given deltas do not join to the message text");
  return deltas;
}

/** One assistant message as a reply output (shared with {@link reply.text}). */
export function messageOutput(text: string, chunks: readonly string[], options: MessageOptions): ReplyOutput {
  const delayMs = options.delayMs ?? 0;
  const phase: JsonObject = options.phase === undefined ? {} : { phase: options.phase };
  return {
    kind: "message",
    render: (context, outputIndex) => {
      const id = context.nextId("msg");
      const at = { item_id: id, output_index: outputIndex, content_index: 0 };
      const part = { type: "output_text", text, annotations: [] };
      const item: JsonObject = { id, type: "message", status: "completed", role: "assistant", content: [part], ...phase };
      const opening: StreamStep[] = [
        {
          delayMs: 0,
          events: [
            {
              type: "response.output_item.added",
              output_index: outputIndex,
              item: { ...item, status: "in_progress", content: [] },
            },
            { type: "response.content_part.added", ...at, part: { ...part, text: "" } },
          ],
        },
      ];
      for (const delta of chunks) {
        opening.push({ delayMs, events: [{ type: "response.output_text.delta", ...at, delta }] });
      }
      const closing: StreamStep[] = [
        {
          delayMs: 0,
          events: [
            { type: "response.output_text.done", ...at, text },
            { type: "response.content_part.done", ...at, part },
            { type: "response.output_item.done", output_index: outputIndex, item },
          ],
        },
      ];
      return { opening, closing, item, outputTokens: chunks.length };
    },
  };
}

/**
 * Output items for {@link reply.stream}, for replies with more than one item (a commentary
 * message then a final answer, a message then a tool call …).
 *
 * @example
 * ```ts
 * fake.enqueue(reply.stream([output.message("Let me check.", { phase: "commentary" }), output.execCommand("ls")]), reply.text("Done."));
 * ```
 */
export const output = {
  /**
   * An assistant message streamed as `response.output_text.delta` events.
   *
   * @param text the full message text; the app-server's completed `agentMessage.text`.
   * @param options delta split, delay between deltas, `phase`.
   * @returns the output item.
   * @example
   * ```ts
   * reply.stream([output.message("Looking…", { phase: "commentary" }), output.message("Done.", { phase: "final_answer" })]);
   * ```
   */
  message(text: string, options: MessageOptions = {}): ReplyOutput {
    return messageOutput(text, chunksOf(text, options.deltas), options);
  },

  /**
   * A function (tool) call: `output_item.added` then `output_item.done` of a `function_call`.
   * The app-server runs the tool and POSTs again with its `function_call_output`, so enqueue
   * the follow-up reply too.
   *
   * @param name the tool name, e.g. `exec_command` (codex's shell tool).
   * @param args the tool arguments; serialized to the JSON string `arguments`.
   * @param options the `call_id`, the tool's `namespace`.
   * @returns the output item.
   * @example
   * ```ts
   * fake.enqueue(reply.stream([output.functionCall("exec_command", { cmd: "echo hi" })]), reply.text("ran it"));
   * ```
   */
  functionCall(name: string, args: JsonObject, options: FunctionCallOptions = {}): ReplyOutput {
    const argumentsText = JSON.stringify(args);
    return {
      kind: "functionCall",
      render: (context, outputIndex) => {
        const id = context.nextId("fc");
        const callId = options.callId ?? context.nextId("call");
        const item: JsonObject = { id, type: "function_call", status: "completed", call_id: callId, name, arguments: argumentsText, ...(options.namespace === undefined ? {} : { namespace: options.namespace }) };
        const added: ResponsesStreamEvent = {
          type: "response.output_item.added",
          output_index: outputIndex,
          item: { ...item, status: "in_progress", arguments: "" },
        };
        const argumentsDone: ResponsesStreamEvent = {
          type: "response.function_call_arguments.done",
          item_id: id,
          output_index: outputIndex,
          arguments: argumentsText,
        };
        const done: ResponsesStreamEvent = { type: "response.output_item.done", output_index: outputIndex, item };
        return {
          opening: [{ delayMs: 0, events: [added] }],
          closing: [{ delayMs: 0, events: [argumentsDone, done] }],
          item,
          outputTokens: 1,
        };
      },
    };
  },

  /**
   * A call of codex's shell tool `exec_command` with `{ cmd }`.
   *
   * @param cmd the shell command line.
   * @param options the `call_id`, the tool's `namespace`.
   * @returns the output item.
   * @example
   * ```ts
   * fake.enqueue(reply.stream([output.execCommand("echo hi")]), reply.text("done"));
   * ```
   */
  execCommand(cmd: string, options: FunctionCallOptions = {}): ReplyOutput {
    return output.functionCall("exec_command", { cmd }, options);
  },

  /**
   * A call of the goal tool `update_goal` with `{ status }`, the tool the app-server offers the
   * model while a thread has a goal. `"complete"` ends the goal: the server reports it `complete`
   * and starts no further turn.
   *
   * @param status the goal status the model reports (the server accepts `complete`).
   * @param options the `call_id`, the tool's `namespace`.
   * @returns the output item.
   * @example
   * ```ts
   * fake.enqueue(reply.stream([output.message("All three written."), output.updateGoal("complete")]), reply.text("Done."));
   * ```
   */
  updateGoal(status: string, options: FunctionCallOptions = {}): ReplyOutput {
    return output.functionCall("update_goal", { status }, options);
  },
};
