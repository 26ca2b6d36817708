import type { TurnError } from "../protocol/generated/index.js";
import { explainingLines, plainTail } from "./stderrSummary.js";

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
    // The server's own explanation first (plain text); the whole tail stays in `stderrTail`.
    const why = explainingLines(info.stderrTail);
    const tail = plainTail(info.stderrTail);
    super(
      why
        ? `${why} (app-server transport closed: ${info.reason}; ${how}; full stderr in stderrTail)`
        : `app-server transport closed (${info.reason}; ${how})${tail ? `; stderr tail:\n${tail}` : ""}`,
      options,
    );
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

/** Why a transport could not be opened, as {@link TransportConnectError} reports it. */
export interface TransportConnectFailure {
  /** Where we tried to connect (credentials in the URL are redacted). */
  readonly url: string;
  /** The HTTP status the server answered the WebSocket upgrade with (401: missing or wrong token); null when there was no answer. */
  readonly status: number | null;
  /** A system or codex-rx code: `"ECONNREFUSED"`, `"ENOTFOUND"`, `"ETIMEDOUT"`, `"EINVALIDURL"`, `"EUNEXPECTEDRESPONSE"`, …; null when unknown. */
  readonly code: string | null;
  /** The body of a refused upgrade (e.g. `"invalid websocket bearer token"`), cut to 500 characters. */
  readonly body?: string;
}

/**
 * A transport could not be opened: nothing listens at the address, the upgrade was refused (HTTP 401
 * for a missing or wrong capability token), or the handshake did not finish within the connect
 * timeout. Nothing was sent; it is safe to fix the cause and try again.
 *
 * @example
 * ```ts
 * catch (e) {
 *   if (e instanceof TransportConnectError && e.status === 401) console.error("wrong token for", e.url);
 *   else if (e instanceof TransportConnectError && e.code === "ECONNREFUSED") console.error("is the app-server running?");
 * }
 * ```
 */
export class TransportConnectError extends CodexError {
  override readonly name: string = "TransportConnectError";
  /** Where we tried to connect (credentials redacted). */
  readonly url: string;
  /** HTTP status of a refused upgrade (401 = missing or wrong token), else null. */
  readonly status: number | null;
  /** `"ECONNREFUSED"`, `"ETIMEDOUT"`, `"EUNEXPECTEDRESPONSE"`, …, or null. */
  readonly code: string | null;
  /** The body of a refused upgrade, cut to 500 characters; empty otherwise. */
  readonly body: string;
  constructor(message: string, failure: TransportConnectFailure, options?: { cause?: unknown }) {
    super(message, options);
    this.url = failure.url;
    this.status = failure.status;
    this.code = failure.code;
    this.body = (failure.body ?? "").slice(0, 500);
  }

  /** True when the server refused our credentials (HTTP 401 or 403 on the upgrade). */
  get unauthorized(): boolean {
    return this.status === 401 || this.status === 403;
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

/**
 * A turn run with an `outputSchema` answered with text that is not JSON, or JSON that the given
 * zod schema rejects.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof StructuredOutputError) console.error(e.text, e.issues); }
 * ```
 */
export class StructuredOutputError extends CodexError {
  override readonly name: string = "StructuredOutputError";
  /** The final response text that failed to parse (null when there was none). */
  readonly text: string | null;
  /** The zod issues, when the JSON parsed but did not match the schema. */
  readonly issues: readonly ProtocolIssue[];
  constructor(message: string, text: string | null, issues: readonly ProtocolIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.text = text;
    this.issues = issues;
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
