import type { TurnError } from "../protocol/generated/index.js";

/**
 * Root of every error codex-rx throws or emits. Catch this to catch them all.
 *
 * @example
 * ```ts
 * try { await thread.run("hi"); } catch (e) { if (e instanceof CodexError) console.error(e.name, e.message); }
 * ```
 */
export class CodexError extends Error {
  override readonly name: string = "CodexError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** How a transport ended: exit code and signal for a child process, close code for a socket. */
export interface TransportCloseInfo {
  /** Exit code of the child process, or WebSocket close code; null when unknown. */
  readonly exitCode: number | null;
  /** Signal that ended the child process (e.g. `"SIGKILL"`); null when none. */
  readonly signal: NodeJS.Signals | null;
  /** The last lines the server wrote to stderr (bounded), for diagnostics. */
  readonly stderrTail: string;
  /** Why it closed: `"closed by client"`, `"process exited"`, `"spawn failed"`, … */
  readonly reason: string;
}

/**
 * The wire to the app-server is gone: the process exited or was killed, the socket closed, or the
 * client closed it. Every pending request and every open turn stream fails with this error.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TransportClosedError) console.error(e.exitCode, e.signal, e.stderrTail); }
 * ```
 */
export class TransportClosedError extends CodexError {
  override readonly name: string = "TransportClosedError";
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderrTail: string;
  readonly reason: string;
  constructor(info: TransportCloseInfo, options?: { cause?: unknown }) {
    const how = info.signal !== null ? `signal ${info.signal}` : info.exitCode !== null ? `exit code ${info.exitCode}` : "no exit status";
    const tail = info.stderrTail.trim();
    super(`app-server transport closed (${info.reason}; ${how})${tail ? `; stderr tail:\n${tail}` : ""}`, options);
    this.exitCode = info.exitCode;
    this.signal = info.signal;
    this.stderrTail = info.stderrTail;
    this.reason = info.reason;
  }
}

/** The `codex` binary could not be found or started. Names every path that was tried. */
export class CodexBinaryNotFoundError extends CodexError {
  override readonly name: string = "CodexBinaryNotFoundError";
  /** The paths or package specifiers that were looked for, in order. */
  readonly searched: readonly string[];
  constructor(message: string, searched: readonly string[], options?: { cause?: unknown }) {
    super(`${message}\nLooked for:\n${searched.map((s) => `  - ${s}`).join("\n")}`, options);
    this.searched = searched;
  }
}

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

/** Retrying a {@link ServerBusyError} gave up: attempts or deadline exhausted. `cause` is the last error. */
export class RetryLimitExceededError extends CodexError {
  override readonly name: string = "RetryLimitExceededError";
  readonly attempts: number;
  constructor(attempts: number, options?: { cause?: unknown }) {
    super(`gave up after ${attempts} attempt(s)`, options);
    this.attempts = attempts;
  }
}

/** One problem zod (or the JSON parser) found in a message. */
export interface ProtocolIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/**
 * A message from the server that is not valid: not JSON, not a JSON-RPC message, or params / result
 * that do not match the pinned protocol's schema. Emitted on `codex.protocolErrors$`; the stream
 * goes on. A response that fails validation also rejects its request with this error.
 *
 * @example
 * ```ts
 * codex.protocolErrors$.subscribe((e) => console.warn(e.message, e.issues));
 * ```
 */
export class ProtocolError extends CodexError {
  override readonly name: string = "ProtocolError";
  /** The method of the message, when it had one (or the method of the request a response answers). */
  readonly method: string | undefined;
  /** What was wrong, as zod issues (path + message). */
  readonly issues: readonly ProtocolIssue[];
  /** The offending raw text, cut to 2,000 characters. */
  readonly raw: string;
  constructor(message: string, details: { method?: string; issues?: readonly ProtocolIssue[]; raw?: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.method = details.method;
    this.issues = details.issues ?? [];
    this.raw = (details.raw ?? "").slice(0, 2000);
  }
}

/**
 * A turn ended with status `failed`. Carries the server's {@link TurnError}.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TurnFailedError) console.error(e.turnId, e.turnError?.message); }
 * ```
 */
export class TurnFailedError extends CodexError {
  override readonly name: string = "TurnFailedError";
  readonly turnId: string;
  readonly turnError: TurnError | null;
  constructor(turnId: string, turnError: TurnError | null, options?: { cause?: unknown }) {
    super(`turn ${turnId} failed${turnError?.message ? `: ${turnError.message}` : ""}`, options);
    this.turnId = turnId;
    this.turnError = turnError;
  }
}

/** A turn's stream ended without `turn/completed` (e.g. the client closed first). Never an empty result. */
export class TurnIncompleteError extends CodexError {
  override readonly name: string = "TurnIncompleteError";
  readonly turnId: string | null;
  constructor(turnId: string | null, options?: { cause?: unknown }) {
    super(`turn ${turnId ?? "(unknown)"} ended without turn/completed`, options);
    this.turnId = turnId;
  }
}

/** The operation was aborted through an `AbortSignal`. */
export class AbortError extends CodexError {
  override readonly name: string = "AbortError";
  constructor(message = "the operation was aborted", options?: { cause?: unknown }) {
    super(message, options);
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
