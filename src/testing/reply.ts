/**
 * Scripted answers for the fake OpenAI Responses API server: what one `POST /v1/responses`
 * gets back. Builders return plain data plus render functions; ids are assigned when a
 * reply is sent, so one reply object can be enqueued many times without id clashes.
 */

/** A JSON value, as read from or written to the wire. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/** The parsed JSON body of one `POST /v1/responses` request. */
export type ResponsesRequestBody = JsonObject;

/** One Server-Sent Event of the Responses API stream; `type` is also the SSE `event:` name. */
export interface ResponsesStreamEvent {
  readonly type: string;
  readonly [key: string]: JsonValue;
}

/** Token usage in the app-server's camelCase names; sent as `response.completed.response.usage`. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly cachedInputTokens: number;
  readonly outputTokens: number;
  readonly reasoningOutputTokens: number;
  readonly totalTokens: number;
}

/** The `phase` of an assistant message; the app-server copies it to `agentMessage.phase`. */
export type MessagePhase = "final_answer" | "commentary";

/** What a reply knows when it is rendered for one request. */
export interface ReplyContext {
  /** 0-based position of the request among all `POST /v1/responses` the server received. */
  readonly requestIndex: number;
  /** The request being answered. */
  readonly request: ResponsesRequestBody;
  /** The `response.id` of this reply (`resp_<n>`). */
  readonly responseId: string;
  /** A fresh id unique within the server, e.g. `nextId("msg")` → `msg_7`. */
  nextId(prefix: string): string;
}

/** A batch of events written together, after waiting `delayMs` (0: same write as before). */
export interface StreamStep {
  readonly delayMs: number;
  readonly events: readonly ResponsesStreamEvent[];
}

/** One output item of a streamed reply, rendered into its opening and closing events. */
export interface RenderedOutput {
  /** `output_item.added` and everything streamed before the item is done (deltas). */
  readonly opening: readonly StreamStep[];
  /** The `*.done` events, ending with `response.output_item.done`. */
  readonly closing: readonly StreamStep[];
  /** The finished item, as listed in `response.completed.response.output`. */
  readonly item: JsonObject;
  /** Output tokens this item counts for in the default usage. */
  readonly outputTokens: number;
}

/** One output item of a streamed reply (a message, a function call …); see {@link output}. */
export interface ReplyOutput {
  readonly kind: string;
  /** Renders the item's events; `outputIndex` is its position in the response. */
  readonly render: (context: ReplyContext, outputIndex: number) => RenderedOutput;
}

/**
 * How a streamed reply ends: `completed` sends `response.completed` with usage; `hang` keeps
 * the response open until the server closes; `failed` sends `response.failed` with an error;
 * `disconnect` destroys the socket without completing.
 */
export type StreamEnding =
  | { readonly kind: "completed" }
  | { readonly kind: "hang" }
  | { readonly kind: "failed"; readonly message: string; readonly code: string | null }
  | { readonly kind: "disconnect" };

/** A `200 text/event-stream` reply made of output items; see {@link reply}. */
export interface StreamReply {
  readonly kind: "stream";
  readonly outputs: readonly ReplyOutput[];
  readonly ending: StreamEnding;
  /** Overrides of the default usage (input 10, output = number of deltas, total = sum). */
  readonly usage: Partial<TokenUsage> | undefined;
  /** When the ending is `hang`: also send the closing events of the outputs? */
  readonly closeOutputs: boolean;
}

/** A plain HTTP reply (an error status with a JSON body, usually). */
export interface HttpReply {
  readonly kind: "http";
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** A stream of caller-supplied events, written as given. */
export interface RawReply {
  readonly kind: "raw";
  readonly render: (context: ReplyContext) => readonly StreamStep[];
  /** Keep the response open after the events until the server closes. */
  readonly hang: boolean;
}

/** Anything the fake can answer one request with. */
export type FakeReply = StreamReply | HttpReply | RawReply;

/** Options of an assistant message output. */
export interface MessageOptions {
  /**
   * How to split the text into `response.output_text.delta` events: a count (split into that
   * many nearly equal pieces) or the exact pieces (they must join to the text).
   * Default: one delta per word with its trailing whitespace.
   */
  readonly deltas?: number | readonly string[];
  /** Milliseconds to wait before each delta (0 → all deltas go out in one write). */
  readonly delayMs?: number;
  /** The message `phase`; the real app-server carries it to `agentMessage.phase`. */
  readonly phase?: MessagePhase;
}

/** Options of a streamed reply as a whole. */
export interface StreamOptions {
  /** Overrides of the default usage (input 10, output = number of deltas, total = sum). */
  readonly usage?: Partial<TokenUsage>;
}

/** Options of {@link reply.text}: one message plus the reply's usage. */
export type TextReplyOptions = MessageOptions & StreamOptions;

/** Options of a function-call output. */
export interface FunctionCallOptions {
  /** The `call_id` the app-server answers with `function_call_output` (default `call_<n>`). */
  readonly callId?: string;
}

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

function messageOutput(text: string, chunks: readonly string[], options: MessageOptions): ReplyOutput {
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
   * @param options the `call_id`.
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
        const item: JsonObject = { id, type: "function_call", status: "completed", call_id: callId, name, arguments: argumentsText };
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
   * @param options the `call_id`.
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
   * @param options the `call_id`.
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

function streamReply(outputs: readonly ReplyOutput[], options: StreamOptions, ending: StreamEnding): StreamReply {
  return { kind: "stream", outputs, ending, usage: options.usage, closeOutputs: true };
}

/**
 * Reply builders; pass their results to `fake.enqueue(...)` or return them from `fake.respond`.
 *
 * @example
 * ```ts
 * fake.enqueue(reply.text("Hello world"), reply.deltas(10_000), reply.httpError(400), reply.hang());
 * fake.respond = (request) => reply.text(`you said ${lastUserText(request)}`);
 * ```
 */
export const reply = {
  /**
   * A streamed assistant text answer: `response.created`, the message's events, then
   * `response.completed` with usage.
   *
   * @param text the full answer text.
   * @param options delta split (default one per word), `delayMs` between deltas, `phase`, `usage`.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.text("Hello world", { deltas: 2, usage: { inputTokens: 3, outputTokens: 2 } }));
   * ```
   */
  text(text: string, options: TextReplyOptions = {}): StreamReply {
    return streamReply([output.message(text, options)], options, { kind: "completed" });
  },

  /**
   * The model completes the thread's goal: a function call `update_goal {"status":"complete"}`
   * (optionally after a message). The app-server marks the goal `complete`, then POSTs again with
   * the tool's output to finish the turn, so the next reply (the queue's, or the responder's) ends
   * that turn; no further continuation turn starts.
   *
   * @param options `text`: an assistant message streamed before the call; `callId`; `usage`.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.text("first step"), reply.text("second step"), reply.completeGoal(), reply.text("Goal complete."));
   * ```
   */
  completeGoal(options: FunctionCallOptions & StreamOptions & { readonly text?: string } = {}): StreamReply {
    const call = output.updateGoal("complete", options.callId === undefined ? {} : { callId: options.callId });
    const outputs = options.text === undefined ? [call] : [output.message(options.text), call];
    return streamReply(outputs, options, { kind: "completed" });
  },

  /**
   * A text answer of exactly `count` deltas of the same token, for volume tests. With
   * `delayMs` 0 the whole stream is written in a few large chunks.
   *
   * @param count how many `response.output_text.delta` events.
   * @param options `text` of each delta (default `"tok "`), `delayMs` between deltas, `usage`.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.deltas(10_000));
   * ```
   */
  deltas(count: number, options: { readonly text?: string; readonly delayMs?: number; readonly usage?: Partial<TokenUsage> } = {}): StreamReply {
    const token = options.text ?? "tok ";
    const chunks = new Array<string>(Math.max(0, Math.floor(count))).fill(token);
    return streamReply([messageOutput(chunks.join(""), chunks, { delayMs: options.delayMs ?? 0 })], options, { kind: "completed" });
  },

  /**
   * A streamed reply of several output items, completed with usage.
   *
   * @param outputs the items, in order (see {@link output}).
   * @param options `usage` overrides.
   * @returns the reply.
   * @example
   * ```ts
   * reply.stream([output.message("thinking", { phase: "commentary" }), output.message("42", { phase: "final_answer" })]);
   * ```
   */
  stream(outputs: readonly ReplyOutput[], options: StreamOptions = {}): StreamReply {
    return streamReply(outputs, options, { kind: "completed" });
  },

  /**
   * An HTTP error status with a body; with `request_max_retries = 0` the turn ends `failed`
   * and `turn.error.message` contains the body.
   *
   * @param status the HTTP status, e.g. 400.
   * @param body a JSON value (serialized) or a raw string. Default:
   *   `{"error":{"message":"fake error","type":"invalid_request_error"}}`.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.httpError(400, { error: { message: "bad things", type: "invalid_request_error" } }));
   * ```
   */
  httpError(status: number, body: JsonValue = { error: { message: "fake error", type: "invalid_request_error" } }): HttpReply {
    const isText = typeof body === "string";
    return {
      kind: "http",
      status,
      body: isText ? body : JSON.stringify(body),
      headers: { "content-type": isText ? "text/plain; charset=utf-8" : "application/json" },
    };
  },

  /**
   * Accepts the request, sends `response.created` (and, with `text`, the start of a message
   * and its deltas), then never finishes until the fake closes. For interrupt tests.
   *
   * @param options `text`: a partial message to stream before hanging.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.hang({ text: "partial " }));
   * ```
   */
  hang(options: { readonly text?: string } = {}): StreamReply {
    const outputs = options.text === undefined ? [] : [output.message(options.text)];
    return { kind: "stream", outputs, ending: { kind: "hang" }, usage: undefined, closeOutputs: false };
  },

  /**
   * A stream that ends with `response.failed` carrying `{ code, message }` (no `response.completed`).
   *
   * @param message the error message.
   * @param options `code` (e.g. `"server_error"`; `context_length_exceeded` and
   *   `insufficient_quota` have special meaning to codex), and outputs streamed before failing.
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.failed("model exploded"));
   * ```
   */
  failed(message: string, options: { readonly code?: string; readonly outputs?: readonly ReplyOutput[] } = {}): StreamReply {
    return streamReply(options.outputs ?? [], {}, { kind: "failed", message, code: options.code ?? null });
  },

  /**
   * Streams the given outputs, then destroys the connection without `response.completed`.
   *
   * @param outputs items streamed before the cut (may be empty).
   * @returns the reply.
   * @example
   * ```ts
   * fake.enqueue(reply.disconnect([output.message("half an ans")]));
   * ```
   */
  disconnect(outputs: readonly ReplyOutput[] = []): StreamReply {
    return { kind: "stream", outputs, ending: { kind: "disconnect" }, usage: undefined, closeOutputs: false };
  },

  /**
   * Caller-supplied SSE events, written as given (each as `event: <type>` + `data: <json>`).
   *
   * @param events the events, or a function of the {@link ReplyContext} returning them.
   * @param options `hang`: keep the response open afterwards until the fake closes.
   * @returns the reply.
   * @example
   * ```ts
   * reply.events([{ type: "response.created", response: { id: "r1" } }, { type: "response.completed", response: { id: "r1" } }]);
   * ```
   */
  events(
    events: readonly ResponsesStreamEvent[] | ((context: ReplyContext) => readonly ResponsesStreamEvent[]),
    options: { readonly hang?: boolean } = {},
  ): RawReply {
    return {
      kind: "raw",
      render: (context) => [{ delayMs: 0, events: typeof events === "function" ? events(context) : events }],
      hang: options.hang ?? false,
    };
  },
};

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

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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
    if (!isObject(item) || item["role"] !== "user") continue;
    const content = item["content"];
    const texts: string[] = [];
    if (typeof content === "string") texts.push(content);
    else if (Array.isArray(content)) {
      for (const part of content as readonly JsonValue[]) {
        if (isObject(part) && part["type"] === "input_text" && typeof part["text"] === "string") texts.push(part["text"]);
      }
    }
    const own = texts.filter((t) => !isWrapper(t));
    if (own.length > 0) return own.join("\n");
  }
  return null;
}
