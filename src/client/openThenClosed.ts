import { catchError, concat, defer, endWith, ignoreElements, of, type Observable } from "rxjs";
import { asCodexError } from "../errors/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { ConnectionState } from "../transport/ConnectionState.js";

/**
 * @internal `codex.connection$` over a transport that cannot reconnect (stdio): `open`, then
 * `closed` (with the error that ended the stream, if any) when `notifications$` ends; `closed`
 * alone for a subscriber that comes after the end. Derived on demand: it costs no subscription
 * while nobody watches.
 *
 * @param rpc the connection
 * @returns the connection's state
 */
export function openThenClosed$(rpc: RpcConnection): Observable<ConnectionState> {
  return defer(() =>
    rpc.closed
      ? of<ConnectionState>({ state: "closed" })
      : concat(
          of<ConnectionState>({ state: "open" }),
          rpc.notifications$.pipe(
            ignoreElements(),
            endWith<ConnectionState>({ state: "closed" }),
            catchError((error: unknown) => of<ConnectionState>({ state: "closed", error: asCodexError(error) })),
          ),
        ),
  );
}
