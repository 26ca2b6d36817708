// The `initialize` handshake of Codex.start, retried over a reconnecting transport when the
// connection drops before the answer.
import { asyncScheduler, defer, firstValueFrom, tap, throwError, timeout, type Observable, type SchedulerLike } from "rxjs";
import { ConnectionLostError, RequestTimeoutError } from "../errors/index.js";
import type { InitializeParams, InitializeResponse } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { retryAfterReconnect } from "./retryAfterReconnect.js";

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
