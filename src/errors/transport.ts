// Errors of the transport layer: the wire could not be opened, or it closed.
import { CodexError } from "./CodexError.js";
import { explainingLines, plainTail } from "./stderrSummary.js";

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

/**
 * The `codex` binary exists but cannot be run: it is not executable (EACCES), it is a directory,
 * or the system cannot execute it (wrong format or architecture: it exits 126/127 before writing a
 * line). A {@link TransportClosedError}, since no server ever answered.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof CodexBinaryNotRunnableError) console.error(e.path, e.message); }
 * ```
 */
export class CodexBinaryNotRunnableError extends TransportClosedError {
  override readonly name: string = "CodexBinaryNotRunnableError";
  /** The file that was found but could not be run. */
  readonly path: string;
  constructor(path: string, why: string, info: TransportCloseInfo, options?: { cause?: unknown }) {
    super(info, options);
    this.path = path;
    const said = explainingLines(info.stderrTail) || info.stderrTail.trim().split("\n").pop() || "";
    this.message =
      `The codex binary at ${path} exists but cannot be run: ${why}${said ? ` (${said})` : ""}. ` +
      "Pass codexPath (or set CODEX_BIN) to a working codex binary, or reinstall the pinned @openai/codex.";
  }
}

/**
 * A request that was on the wire when a reconnecting transport lost its connection, and that is
 * not safe to send again (the server may or may not have acted on it: `turn/start`,
 * `thread/start`, writes of any kind). Read-only requests are sent again after the reconnect
 * instead. A `TransportClosedError`, so code that handles a closed wire handles this too.
 *
 * @example
 * ```ts
 * try { await thread.run("…"); } catch (e) { if (e instanceof ConnectionLostError) console.log(e.method, "may have reached the server"); }
 * ```
 */
export class ConnectionLostError extends TransportClosedError {
  override readonly name: string = "ConnectionLostError";
  /** The method of the request that was lost. */
  readonly method: string;
  constructor(method: string, options?: { cause?: unknown }) {
    super({ reason: `connection lost while ${method} was in flight; it may or may not have reached the server`, exitCode: null, signal: null, stderrTail: "" }, options);
    this.method = method;
  }
}

/**
 * A reconnecting transport gave up: `attempts` reconnect attempts in a row failed (or one failed
 * in a way retrying cannot fix, such as a refused token). Every open turn and pending request
 * fails with it, once. Its `cause` is the last attempt's error.
 *
 * @example
 * ```ts
 * codex.connection$.subscribe((c) => { if (c.error instanceof ReconnectFailedError) console.log("gave up after", c.error.attempts); });
 * ```
 */
export class ReconnectFailedError extends TransportClosedError {
  override readonly name: string = "ReconnectFailedError";
  /** How many reconnect attempts were made. */
  readonly attempts: number;
  constructor(attempts: number, options?: { cause?: unknown }) {
    const last = options?.cause instanceof Error ? `; last error: ${options.cause.message}` : "";
    super({ reason: `gave up reconnecting after ${attempts} attempt${attempts === 1 ? "" : "s"}${last}`, exitCode: null, signal: null, stderrTail: "" }, options);
    this.attempts = attempts;
  }
}

/**
 * The peer did not answer a WebSocket ping within one ping interval: the host is gone, frozen or
 * unreachable although TCP still looks open. Seen as the `error` of a `reconnecting` connection
 * state, or as the `cause` of the `TransportClosedError` when the transport does not reconnect.
 *
 * @example
 * ```ts
 * codex.connection$.subscribe((c) => { if (c.error instanceof HeartbeatTimeoutError) console.log("server stopped answering"); });
 * ```
 */
export class HeartbeatTimeoutError extends CodexError {
  override readonly name: string = "HeartbeatTimeoutError";
  /** The ping interval that passed without an answer, in ms. */
  readonly intervalMs: number;
  constructor(intervalMs: number) {
    super(`no answer to a ping within ${intervalMs} ms`);
    this.intervalMs = intervalMs;
  }
}

/**
 * `connect()` was called a second time on the same transport. A transport connects once; build a
 * new one to connect again (a reconnecting transport redials by itself).
 *
 * @example
 * ```ts
 * try { await transport.connect(); } catch (e) { if (e instanceof TransportAlreadyConnectedError) console.error(e.transport, "is already connected"); }
 * ```
 */
export class TransportAlreadyConnectedError extends CodexError {
  override readonly name: string = "TransportAlreadyConnectedError";
  /** The transport's class name, e.g. `"StdioTransport"`. */
  readonly transport: string;
  /**
   * @param transport the transport's class name
   */
  constructor(transport: string) {
    super(`${transport}.connect() called twice: a transport connects once; create a new one to connect again`);
    this.transport = transport;
  }
}
