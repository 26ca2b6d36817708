import { filter, map, type SchedulerLike } from "rxjs";
import { randomUUID } from "node:crypto";
import { ConnectionLostError } from "../../errors/index.js";
import type { RpcConnection } from "../../rpc/RpcConnection.js";
import { KeyedRoutes } from "../../routing/KeyedRoutes.js";

/**
 * @internal What the cold work of one connection (`exec$`, `watch$`) needs: the connection's
 * requests, its table of keyed routes (command output by process id, file changes by watch id),
 * a source of fresh ids and a clock.
 */
export interface WorkContext {
  readonly rpc: Pick<RpcConnection, "request$" | "closed" | "closeReason" | "protocol">;
  readonly routes: KeyedRoutes;
  /** A new id, unique on this connection (`exec-…`, `watch-…`): the server keys processes and watches by the client's id. */
  readonly newId: (kind: "exec" | "watch") => string;
  /** Where retries wait (a `TestScheduler` in tests). */
  readonly scheduler: SchedulerLike | undefined;
}

/**
 * @internal The work context of a connection: one {@link KeyedRoutes} subscribed to its
 * notifications, ended on a drop too (the server ends a connection's processes and watches with it).
 *
 * @param rpc the connection
 * @param scheduler the client's clock
 * @returns the context
 */
export function workContextOf(rpc: RpcConnection, scheduler?: SchedulerLike): WorkContext {
  const dropped$ = rpc.transport.connection$?.pipe(
    filter((c) => c.state === "reconnecting"),
    map(() => new ConnectionLostError("command/exec or fs/watch")),
  );
  const routes = new KeyedRoutes(
    rpc.notifications$,
    { "command/exec/outputDelta": (n) => n.params.processId, "fs/changed": (n) => n.params.watchId },
    dropped$,
  );
  return { rpc, routes, newId: (kind) => `${kind}-${randomUUID()}`, scheduler };
}
