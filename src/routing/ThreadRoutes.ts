import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import type { TurnCapture } from "./TurnCapture.js";

/** Who opened a turn's capture: a `turn/start` of this client, or the server by itself. */
export type TurnOrigin = "client" | "server";

/**
 * Told of every turn capture opened on a watched thread; for a turn the server started by itself
 * it is called before that turn's first notification is delivered (so a handle made here sees it).
 */
export type TurnWatcher = (capture: TurnCapture, origin: TurnOrigin) => void;

/** A turn-scoped notification or server request of a turn nobody has claimed yet. */
export type Held = { readonly turnId: string; readonly notification: Notification } | { readonly turnId: string; readonly request: ServerRequestEvent };

/** @internal One thread's routing table in the `NotificationRouter`. */
export interface ThreadRoutes {
  readonly threadId: string;
  /** The open turns, in the order they were opened (usually one; a thread runs a turn at a time). */
  readonly turns: TurnCapture[];
  /**
   * Turn-scoped notifications (and server requests) of turns nobody has claimed yet, kept while a
   * `turn/start` is in flight on this thread (one of them may be its turn). Claimed slots are
   * cleared to `undefined`.
   */
  held: (Held | undefined)[];
  /** How many `turn/start` requests are in flight on this thread. */
  pending: number;
  readonly watchers: TurnWatcher[];
}

/**
 * @internal The router's thread table: one {@link ThreadRoutes} per thread that has something open,
 * held, pending or watched; dropped once idle, so it does not grow with threads done.
 */
export class ThreadTable {
  private readonly threads = new Map<string, ThreadRoutes>();

  /**
   * @param threadId a thread
   * @returns its table, or undefined when nothing is routed for it
   */
  get(threadId: string): ThreadRoutes | undefined {
    return this.threads.get(threadId);
  }

  /**
   * @param threadId a thread
   * @returns its table, made when there is none
   */
  routesOf(threadId: string): ThreadRoutes {
    let routes = this.threads.get(threadId);
    if (routes === undefined) {
      routes = { threadId, turns: [], held: [], pending: 0, watchers: [] };
      this.threads.set(threadId, routes);
    }
    return routes;
  }

  /**
   * Drops a thread's table once nothing is open, held, pending or watching on it.
   *
   * @param routes the table
   */
  forgetIfIdle(routes: ThreadRoutes): void {
    if (routes.turns.length === 0 && routes.pending === 0 && routes.watchers.length === 0 && this.threads.get(routes.threadId) === routes) {
      this.threads.delete(routes.threadId);
    }
  }

  /** How many threads have a table. */
  get size(): number {
    return this.threads.size;
  }

  /** @returns every thread's table, in the order they were made */
  all(): IterableIterator<ThreadRoutes> {
    return this.threads.values();
  }
}
