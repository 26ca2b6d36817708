// The `initialize` handshake of Codex.start, retried over a reconnecting transport when the
// connection drops before the answer.
import { asyncScheduler, defer, filter, firstValueFrom, identity, map, retry, take, tap, throwError, throwIfEmpty, timeout, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from "rxjs";
import { ConnectionLostError, RequestTimeoutError } from "../errors/index.js";
import type { InitializeParams, InitializeResponse } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { ConnectionState } from "../transport/ConnectionState.js";

/**
 * @internal Resubscribes the source when it fails with {@link ConnectionLostError} (its connection
 * dropped before the answer), as soon as `connection$` reports the transport `open` again; the
 * transport's reconnect loop (its backoff and `maxAttempts`) is the budget. Any other error, and a
 * transport that ends meanwhile (`closed`: its error, e.g. `ReconnectFailedError`), fails it.
 *
 * ```
 * source (1st):   --#              (# = ConnectionLostError)
 * connection$:    --r----o         (r = reconnecting, o = open)
 * source (2nd):          --a|
 * result:         ---------a|
 * ```
 *
 * @param connection$ the transport's connection states (undefined: it cannot reconnect, no retry)
 * @returns the operator
 */
export function retryAfterReconnect<T>(connection$: Observable<ConnectionState> | undefined): MonoTypeOperatorFunction<T> {
  if (connection$ === undefined) return identity;
  return retry({
    delay: (error: unknown) => {
      if (!(error instanceof ConnectionLostError)) return throwError(() => error);
      return connection$.pipe(
        filter((c) => c.state === "open" || c.state === "closed"),
        take(1),
        map((c) => {
          if (c.state === "closed") throw c.error ?? error;
          return c;
        }),
        throwIfEmpty(() => error),
      );
    },
  });
}

/**
 * @internal Sends `initialize`; over a reconnecting transport a drop before the answer sends it
 * again on the next connection (see {@link retryAfterReconnect}). `timeoutMs` bounds the whole
 * handshake, waits for a reconnect included.
 *
 * @param rpc the connection (its transport already connected)
 * @param params the `initialize` params
 * @param timeoutMs the bound of the whole handshake
 * @param scheduler where the timeout runs (default `asyncScheduler`)
 * @returns the server's `initialize` answer, then complete
 * @throws {RequestTimeoutError} when no answer came within `timeoutMs` (`cause`: the last drop, if any)
 * @throws {ReconnectFailedError} when the transport gave up reconnecting meanwhile
 */
export function handshake$(rpc: RpcConnection, params: InitializeParams, timeoutMs: number, scheduler: SchedulerLike = asyncScheduler): Observable<InitializeResponse> {
  return defer(() => {
    let lost: ConnectionLostError | undefined;
    // Each attempt bounded too, so the connection's default requestTimeoutMs never applies to initialize.
    return rpc.request$("initialize", params, { timeoutMs }).pipe(
      tap({ error: (error: unknown) => (lost = error instanceof ConnectionLostError ? error : lost) }),
      retryAfterReconnect(rpc.transport.connection$),
      timeout({ first: timeoutMs, with: () => throwError(() => new RequestTimeoutError("initialize", timeoutMs, lost === undefined ? undefined : { cause: lost })), scheduler }),
    );
  });
}

/**
 * @internal {@link handshake$} as a Promise: what `Codex.start` awaits.
 *
 * @param rpc the connection (its transport already connected)
 * @param params the `initialize` params
 * @param timeoutMs the bound of the whole handshake
 * @param scheduler where the timeout runs
 * @returns the server's `initialize` answer
 * @throws {RequestTimeoutError} when no answer came within `timeoutMs`
 * @throws {ReconnectFailedError} when the transport gave up reconnecting meanwhile
 */
export function handshake(rpc: RpcConnection, params: InitializeParams, timeoutMs: number, scheduler?: SchedulerLike): Promise<InitializeResponse> {
  return firstValueFrom(handshake$(rpc, params, timeoutMs, scheduler));
}
