import { CodexError, TransportClosedError } from "../rpc/errors.js";

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
