import { Observable, ReplaySubject, Subject, filter, takeUntil, takeWhile, type Subscription } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import { forThread } from "../routing/forThread.js";
import { forTurn } from "../routing/forTurn.js";
import { turnIdOf } from "../routing/ids.js";

/** @internal One turn's events and server requests, captured from its first event. */
export interface TurnCapture {
  readonly turnId: string;
  readonly events$: Observable<Notification>;
  readonly serverRequests$: Observable<ServerRequestEvent>;
  /** Stops capturing (a capture that turned out to belong to a client-started turn). */
  dispose(): void;
}

/** @internal Makes the handle of a turn the server started, from its capture. */
export type TurnHandleFactory<H> = (capture: TurnCapture) => H;

/** @internal What `thread.turn()` holds while its `turn/start` request is on its way. */
export interface ClientTurnClaim<H> {
  /** The server accepted the turn: `handle` is its one handle, and is emitted on `turns$`. */
  settle(turnId: string, handle: H, events$: Observable<unknown>): void;
  /** The request failed: no turn. */
  cancel(): void;
}

/**
 * @internal The seam behind `thread.turns$`: which turns of a thread exist from now on, and one
 * handle per turn. Turns started through `thread.turn()` are claimed before their request is sent,
 * so they keep their own handle; every other turn (the server's own: goal continuations, a turn
 * started through another client) gets a handle built from a capture that starts synchronously at
 * its `turn/started`, before any later event is dispatched.
 *
 * Routing is a per-turn filter chain on the one notification stream (as `thread.turn()` does
 * today); {@link captureTurn} is the one place that knows it, so that a keyed router can replace it
 * without touching the bookkeeping here.
 */
export class ThreadTurns<H> {
  /** Handles, as they become known (hot: no replay). */
  private readonly emitted = new Subject<H>();
  /** Turns started through `thread.turn()` and not over yet, by id. */
  private readonly clientTurns = new Set<string>();
  /** `turn/start` requests on their way: until they answer, an unknown turn may be one of theirs. */
  private pendingClaims = 0;
  /** Captures of unknown turns seen while claims were pending, in start order. */
  private readonly held = new Map<string, TurnCapture>();
  private watchers = 0;
  private watch: Subscription | undefined;

  /** Every turn of the thread from subscription on, one handle each (see `Thread.turns$`). */
  readonly turns$: Observable<H>;

  constructor(
    private readonly threadId: string,
    private readonly notifications$: Observable<Notification>,
    private readonly serverRequests$: Observable<ServerRequestEvent>,
    private readonly newHandle: TurnHandleFactory<H>,
  ) {
    this.turns$ = new Observable<H>((subscriber) => {
      const own = this.emitted.subscribe(subscriber);
      if (this.watchers++ === 0) {
        this.watch = this.notifications$
          .pipe(forThread(this.threadId), filter((n) => n.method === "turn/started"))
          .subscribe({ next: (n) => this.started(n), error: (e: unknown) => this.emitted.error(e), complete: () => this.emitted.complete() });
      }
      return () => {
        own.unsubscribe();
        if (--this.watchers === 0) {
          this.watch?.unsubscribe();
          this.watch = undefined;
        }
      };
    });
  }

  /**
   * Called by `thread.turn()` before it sends `turn/start`.
   *
   * @returns the claim to settle with the handle, or cancel
   */
  claim(): ClientTurnClaim<H> {
    this.pendingClaims += 1;
    let open = true;
    const close = (): boolean => {
      if (!open) return false;
      open = false;
      this.pendingClaims -= 1;
      return true;
    };
    return {
      settle: (turnId, handle, events$) => {
        if (!close()) return;
        this.clientTurns.add(turnId);
        const forget = (): void => {
          this.clientTurns.delete(turnId);
        };
        events$.subscribe({ complete: forget, error: forget });
        // Its own capture started before the request: a copy held meanwhile is not needed.
        this.held.get(turnId)?.dispose();
        this.held.delete(turnId);
        this.emitted.next(handle);
        this.release();
      },
      cancel: () => {
        if (close()) this.release();
      },
    };
  }

  private started(n: Notification): void {
    const turnId = turnIdOf(n);
    if (turnId === undefined || this.clientTurns.has(turnId) || this.held.has(turnId)) return;
    const capture = captureTurn(this.threadId, turnId, n, this.notifications$, this.serverRequests$);
    if (this.pendingClaims > 0) this.held.set(turnId, capture);
    else this.emitted.next(this.newHandle(capture));
  }

  /** Once no claim is pending, every held turn is known to be someone else's: emit them. */
  private release(): void {
    if (this.pendingClaims > 0) return;
    const held = [...this.held.values()];
    this.held.clear();
    for (const capture of held) this.emitted.next(this.newHandle(capture));
  }
}

/**
 * @internal Captures one turn from its first event (already dispatched, so given as `first`) to
 * `turn/completed`, with the server requests made during it. Called synchronously while `first`
 * is being dispatched: the subscriptions made here see every later event.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param first the turn's first event (`turn/started`)
 * @param notifications$ the one notification stream
 * @param serverRequests$ the server requests stream
 * @returns the capture
 */
export function captureTurn(
  threadId: string,
  turnId: string,
  first: Notification,
  notifications$: Observable<Notification>,
  serverRequests$: Observable<ServerRequestEvent>,
): TurnCapture {
  const events = new ReplaySubject<Notification>();
  const requests = new ReplaySubject<ServerRequestEvent>();
  events.next(first);
  const over$ = events.pipe(filter((n) => n.method === "turn/completed"));
  const eventsSub = notifications$
    .pipe(forThread(threadId), forTurn(turnId), takeWhile((n) => n.method !== "turn/completed", true))
    .subscribe(events);
  const requestsSub = serverRequests$.pipe(filter((r) => turnIdOf(r.request) === turnId), takeUntil(over$)).subscribe(requests);
  if (first.method === "turn/completed") {
    eventsSub.unsubscribe();
    requestsSub.unsubscribe();
    events.complete();
    requests.complete();
  }
  return {
    turnId,
    events$: events.asObservable(),
    serverRequests$: requests.asObservable(),
    dispose: () => {
      eventsSub.unsubscribe();
      requestsSub.unsubscribe();
    },
  };
}
