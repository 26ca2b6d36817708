import type { Subscriber } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import { tellEnd, type StreamEnd } from "../streams/StreamEnd.js";
import type { CapturedThread, TurnCapture } from "./TurnCapture.js";

/** Who opened a turn's capture: a `turn/start` of this client, or the server by itself. */
export type TurnOrigin = "client" | "server";

/**
 * Told of every turn capture opened on a watched thread; for a turn the server started by itself
 * it is called before that turn's first notification is delivered (so a handle made here sees it).
 */
export type TurnWatcher = (capture: TurnCapture, origin: TurnOrigin) => void;

/** A turn-scoped notification or server request of a turn nobody has claimed yet. */
export type Unclaimed = { readonly turnId: string; readonly notification: Notification } | { readonly turnId: string; readonly request: ServerRequestEvent };

/** The followers of a thread nobody follows: one shared empty array (stays in cache). */
export const NO_FOLLOWERS: readonly Subscriber<Notification>[] = Object.freeze([]);

/** @internal One thread's routing table in the `NotificationRouter` (each of its captures points at it). */
export interface ThreadRoutes extends CapturedThread {
  readonly threadId: string;
  /** The open turns, in the order they were opened (usually one; a thread runs a turn at a time). */
  readonly turns: TurnCapture[];
  /**
   * Turn-scoped notifications (and server requests) of turns nobody has claimed yet, kept while a
   * `turn/start` is in flight on this thread (one of them may be its turn). Claimed slots are
   * cleared to `undefined`.
   */
  unclaimed: (Unclaimed | undefined)[];
  /** How many `turn/start` requests are in flight on this thread. */
  pending: number;
  readonly watchers: TurnWatcher[];
  /**
   * Who follows every notification of the thread (`NotificationRouter.threadEvents$`): copy-on-write,
   * `NO_FOLLOWERS` when none; a turn's notification reaches them through its capture's `thread`,
   * without a lookup by thread.
   */
  followers: readonly Subscriber<Notification>[];
}

/**
 * @internal The router's thread table: one {@link ThreadRoutes} per thread that has something open,
 * unclaimed, pending, watched or followed; dropped once idle, so it does not grow with threads done.
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
      routes = { threadId, turns: [], unclaimed: [], pending: 0, watchers: [], followers: NO_FOLLOWERS };
      this.threads.set(threadId, routes);
    }
    return routes;
  }

  /**
   * Drops a thread's table once nothing is open, unclaimed, pending, watching or following on it.
   *
   * @param routes the table
   */
  forgetIfIdle(routes: ThreadRoutes): void {
    if (routes.turns.length === 0 && routes.pending === 0 && routes.watchers.length === 0 && routes.followers.length === 0 && this.threads.get(routes.threadId) === routes) {
      this.threads.delete(routes.threadId);
    }
  }

  /**
   * Adds a follower of every notification of `threadId`, told from now on.
   *
   * @param threadId the thread
   * @param subscriber the follower
   * @returns removes the follower again
   */
  follow(threadId: string, subscriber: Subscriber<Notification>): () => void {
    const routes = this.routesOf(threadId);
    routes.followers = [...routes.followers, subscriber];
    return () => {
      const rest = routes.followers.filter((s) => s !== subscriber);
      routes.followers = rest.length === 0 ? NO_FOLLOWERS : rest;
      this.forgetIfIdle(routes);
    };
  }

  /**
   * The wire ended: every follower completes, or errors with the wire's error.
   *
   * @param end how the wire ended
   */
  endFollowers(end: StreamEnd): void {
    for (const routes of [...this.threads.values()]) {
      const followers = routes.followers;
      routes.followers = NO_FOLLOWERS;
      for (const s of followers) tellEnd(s, end);
      this.forgetIfIdle(routes);
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

/**
 * Tells each follower of a thread one notification, in the order they subscribed.
 *
 * @param followers the thread's followers (the array of the moment: one added meanwhile waits for the next)
 * @param n the notification
 */
export function tellFollowers(followers: readonly Subscriber<Notification>[], n: Notification): void {
  for (let i = 0; i < followers.length; i += 1) (followers[i] as Subscriber<Notification>).next(n);
}
