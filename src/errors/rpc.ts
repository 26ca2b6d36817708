// Errors of the JSON-RPC layer: error responses by code, retries given up, requests timed out.
import { CodexError } from "./CodexError.js";

/** The shape of a JSON-RPC error object on the wire. */
export interface JsonRpcErrorObject {
  readonly code: number;
  readonly message: string;
  readonly data?: unknown;
}

/**
 * An error response from the app-server (`{ error: { code, message, data } }`). Subclasses differ only
 * by code; {@link JsonRpcError.from} picks the right one.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof InvalidRequestError) console.error(e.code, e.message, e.data); }
 * ```
 */
export class JsonRpcError extends CodexError {
  override readonly name: string = "JsonRpcError";
  readonly code: number;
  readonly data: unknown;
  /** The server's own message text (`message` adds the method and code for logs). */
  readonly rpcMessage: string;
  /** The request method that failed, when known. */
  readonly method: string | undefined;
  constructor(error: JsonRpcErrorObject, options?: { cause?: unknown; method?: string }) {
    super(options?.method ? `${options.method}: ${error.message} (code ${error.code})` : `${error.message} (code ${error.code})`, options);
    this.code = error.code;
    this.rpcMessage = error.message;
    this.data = error.data;
    this.method = options?.method;
  }

  /** The wire form, `{ code, message, data? }`, as the server sent it. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined ? { code: this.code, message: this.rpcMessage } : { code: this.code, message: this.rpcMessage, data: this.data };
  }

  /**
   * Builds the subclass that matches `code` (and, for -32000…-32099, an overload hint in `data`).
   *
   * @param error the wire error object
   * @param options `method` to name in the message, `cause`
   * @returns a {@link JsonRpcError} or one of its subclasses
   * @example
   * ```ts
   * JsonRpcError.from({ code: -32001, message: "Server overloaded; retry later." }) instanceof ServerBusyError // true
   * ```
   */
  static from(error: JsonRpcErrorObject, options?: { cause?: unknown; method?: string }): JsonRpcError {
    switch (error.code) {
      case -32700:
        return new ParseError(error, options);
      case -32600:
        return new InvalidRequestError(error, options);
      case -32601:
        return new MethodNotFoundError(error, options);
      case -32602:
        return new InvalidParamsError(error, options);
      case -32603:
        return new InternalRpcError(error, options);
      case -32001:
        return new ServerBusyError(error, options);
      default:
        if (error.code <= -32000 && error.code >= -32099 && isOverloadHint(error.data)) {
          return new ServerBusyError(error, options);
        }
        return new JsonRpcError(error, options);
    }
  }
}

function isOverloadHint(data: unknown): boolean {
  if (typeof data === "string") return /server_?overloaded/i.test(data);
  if (data === null || typeof data !== "object") return false;
  return Object.values(data).some((v) => isOverloadHint(v)) || Object.keys(data).some((k) => /server_?overloaded/i.test(k));
}

/** -32700: the server could not parse what we sent. */
export class ParseError extends JsonRpcError {
  override readonly name: string = "ParseError";
}
/** -32600: the request was not a valid request (e.g. a call before `initialize`). */
export class InvalidRequestError extends JsonRpcError {
  override readonly name: string = "InvalidRequestError";
}
/** -32601: the server has no such method (or the client has no handler for a server request). */
export class MethodNotFoundError extends JsonRpcError {
  override readonly name: string = "MethodNotFoundError";
}
/** -32602: the params were rejected. Fix the input; do not retry. */
export class InvalidParamsError extends JsonRpcError {
  override readonly name: string = "InvalidParamsError";
}
/** -32603: the server failed internally. */
export class InternalRpcError extends JsonRpcError {
  override readonly name: string = "InternalRpcError";
}
/** -32001 (or -32000…-32099 whose data says server_overloaded): transient; safe to retry with backoff. */
export class ServerBusyError extends JsonRpcError {
  override readonly name: string = "ServerBusyError";
}

/**
 * Retrying a {@link ServerBusyError} gave up: attempts or deadline exhausted. `cause` is the last
 * `ServerBusyError` (undefined when the deadline passed before any attempt failed).
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof RetryLimitExceededError) console.error(e.attempts, e.reason, e.cause); }
 * ```
 */
export class RetryLimitExceededError extends CodexError {
  override readonly name: string = "RetryLimitExceededError";
  /** How many attempts were made (subscriptions to the source). */
  readonly attempts: number;
  /** `"attempts"`: every attempt was refused as busy; `"deadline"`: the overall deadline passed. */
  readonly reason: "attempts" | "deadline";
  constructor(attempts: number, options?: { cause?: unknown; reason?: "attempts" | "deadline" }) {
    const reason = options?.reason ?? "attempts";
    super(`gave up after ${attempts} attempt(s)${reason === "deadline" ? ": retry deadline passed" : ": server still busy"}`, options);
    this.attempts = attempts;
    this.reason = reason;
  }
}

/** A request got no response in time (`requestTimeoutMs`), or `initialize` never answered. */
export class RequestTimeoutError extends CodexError {
  override readonly name: string = "RequestTimeoutError";
  readonly method: string;
  readonly timeoutMs: number;
  constructor(method: string, timeoutMs: number, options?: { cause?: unknown }) {
    super(`${method}: no response within ${timeoutMs} ms`, options);
    this.method = method;
    this.timeoutMs = timeoutMs;
  }
}
