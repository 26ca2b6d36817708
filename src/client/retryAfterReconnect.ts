import { filter, identity, map, retry, take, throwError, throwIfEmpty, type MonoTypeOperatorFunction, type Observable } from "rxjs";
import { ConnectionLostError } from "../errors/index.js";
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
