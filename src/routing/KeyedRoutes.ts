import { Subscription, type Observable } from "rxjs";
import type { ServerNotificationMethod } from "../protocol/generated/index.js";
import type { Notification, NotificationOf } from "../protocol/notifications.js";

/** Where a keyed route delivers: each notification of its key, then the end of the wire. */
export interface KeyedSink<N> {
  next(notification: N): void;
  /**
   * The wire ended (or dropped) while the route was open: `error` is what it ended with, or
   * `undefined` when the client closed it. Called at most once, and never after unsubscribing.
   */
  end(error: unknown): void;
}

/** How a method's notifications name their key (`processId`, `watchId`). */
export type KeyReaders = { readonly [M in ServerNotificationMethod]?: (notification: NotificationOf<M>) => string };

/**
 * @internal One connection's table of client-keyed work: the notifications of a few methods
 * (`command/exec/outputDelta` by `processId`, `fs/changed` by `watchId`) delivered to the one sink
 * registered for their key. ONE subscription to `notifications$` for the whole connection, one
 * `Map` lookup per notification, however many commands or watches run. A notification whose key
 * has no sink (a command already given up on) is dropped. When the wire ends every open sink is
 * told once, so no stream of work waits forever.
 *
 * @example
 * ```ts
 * const routes = new KeyedRoutes(rpc.notifications$, { "fs/changed": (n) => n.params.watchId });
 * const sub = routes.route("fs/changed", watchId, { next: (n) => console.log(n.params.changedPaths), end: console.error });
 * ```
 */
export class KeyedRoutes {
  private readonly sinks = new Map<string, Map<string, KeyedSink<Notification>>>();
  private readonly readers: Map<string, (notification: Notification) => string>;
  /** `undefined` while the wire is open; `null` once it completed; `{ error }` once it died. */
  private ended: { readonly error: unknown } | null | undefined;

  /**
   * @param notifications$ the connection's one stream of notifications
   * @param readers for each routed method, where its key is
   * @param dropped$ a reconnecting transport's drops: the server forgets its connection-scoped
   *   work (processes, watches) with the connection, so every open sink ends with the error
   */
  constructor(notifications$: Observable<Notification>, readers: KeyReaders, dropped$?: Observable<unknown>) {
    this.readers = new Map(Object.entries(readers) as [string, (notification: Notification) => string][]);
    for (const method of this.readers.keys()) this.sinks.set(method, new Map());
    notifications$.subscribe({
      next: (n) => this.deliver(n),
      error: (error: unknown) => this.end({ error }),
      complete: () => this.end(null),
    });
    dropped$?.subscribe((error) => this.endAll(error));
  }

  /**
   * Sends the notifications of `method` whose key is `key` to `sink`, until unsubscribed.
   *
   * @param method a method given a reader at construction
   * @param key the key (a client-chosen id)
   * @param sink where they go
   * @returns unsubscribe to remove the route
   * @throws {RangeError} when `method` has no reader, or `key` is already routed
   */
  route<M extends ServerNotificationMethod>(method: M, key: string, sink: KeyedSink<NotificationOf<M>>): Subscription {
    const table = this.sinks.get(method);
    if (table === undefined) throw new RangeError(`KeyedRoutes: no key reader for ${method}`);
    if (table.has(key)) throw new RangeError(`KeyedRoutes: ${method} ${key} is already routed`);
    if (this.ended !== undefined) {
      sink.end(this.ended === null ? undefined : this.ended.error);
      return Subscription.EMPTY;
    }
    const anySink = sink as KeyedSink<Notification>;
    table.set(key, anySink);
    return new Subscription(() => {
      if (table.get(key) === anySink) table.delete(key);
    });
  }

  /** How many routes are open (for tests: nothing left behind). */
  get size(): number {
    let n = 0;
    for (const table of this.sinks.values()) n += table.size;
    return n;
  }

  private deliver(n: Notification): void {
    const table = this.sinks.get(n.method);
    if (table === undefined) return;
    const read = this.readers.get(n.method);
    const sink = read === undefined ? undefined : table.get(read(n));
    sink?.next(n);
  }

  private end(how: { readonly error: unknown } | null): void {
    if (this.ended !== undefined) return;
    this.ended = how;
    this.endAll(how === null ? undefined : how.error);
  }

  private endAll(error: unknown): void {
    for (const table of this.sinks.values()) {
      const open = [...table.values()];
      table.clear();
      for (const sink of open) sink.end(error);
    }
  }
}
