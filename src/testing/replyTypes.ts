// The shapes of the fake Responses API server's scripted replies (see reply.ts and output.ts).
import { isPlainObject } from "../errors/index.js";

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
  /** The namespace of the tool (a client-side tool given in a `toolNamespace()`); default none. */
  readonly namespace?: string;
}

/**
 * True for a JSON object (not an array, not null).
 *
 * @param value any JSON value
 * @returns whether it is an object
 */
export function isJsonObject(value: unknown): value is JsonObject {
  return isPlainObject(value);
}
