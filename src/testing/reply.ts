/**
 * Scripted answers for the fake OpenAI Responses API server: what one `POST /v1/responses`
 * gets back. Builders return plain data plus render functions; ids are assigned when a
 * reply is sent, so one reply object can be enqueued many times without id clashes.
 */

import { messageOutput, output } from "./output.js";
import type {
  JsonValue,
  ResponsesStreamEvent,
  TokenUsage,
  ReplyContext,
  ReplyOutput,
  StreamEnding,
  StreamReply,
  HttpReply,
  RawReply,
  StreamOptions,
  TextReplyOptions,
  FunctionCallOptions,
} from "./replyTypes.js";

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
