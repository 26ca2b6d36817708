import { Observable, type Subscriber } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import { tellEveryone } from "../streams/LiveSubscribers.js";
import { ReplayLog } from "../streams/ReplayLog.js";
import { streamEnd, type StreamEnd } from "../streams/StreamEnd.js";
import { NotificationLog } from "./NotificationLog.js";
import { TurnFold } from "./TurnFold.js";

/**
 * @internal What a capture knows of its thread: its id, and who follows every notification of it
 * (the router's thread table keeps both; the capture points at it, so a turn's notification
 * reaches the followers without a lookup by thread).
 */
export interface CapturedThread {
  readonly threadId: string;
  readonly followers: readonly Subscriber<Notification>[];
}

/**
 * @internal One turn's sink in the {@link NotificationRouter}: its notifications from the first
 * to `turn/completed` (inclusive) and the server requests made during it, each kept and replayed
 * to every subscriber (a `TurnHandle` is a view of one). It lives as long as whoever holds it: the
 * router lets go of it at `turn/completed` (or when the connection ends).
 *
 * It is made of parts, one job each: the events' replay ({@link NotificationLog}, which keeps a
 * run of deltas as its strings), the server requests' replay (a {@link ReplayLog}, made on first
 * use: most turns see none), the running folds ({@link TurnFold}). What is left here is the turn
 * itself: where a push goes, when the turn ends, and who is told.
 *
 * `push` / `pushRequest` are also how code outside the wire (a reconnecting client resuming a
 * thread) delivers notifications into the turn: `turn/completed` ends it, whoever pushes it.
 */
export class TurnCapture {
  /** The turn's notifications, kept for replay. */
  private readonly log = new NotificationLog();
  /** Made on first use: most turns see no server request. */
  private requests: ReplayLog<ServerRequestEvent> | undefined;
  /** The running folds, first begun first (see {@link fold}). */
  private folds: TurnFold<unknown> | undefined;
  /** While set, a `turn/completed` pushed goes here instead (see {@link interceptEnd}). */
  private endInterceptor: ((end: Notification) => void) | undefined;
  /** Called once when the capture ends, whatever ended it (the router forgets the turn). */
  private onEnd: (() => void) | undefined;
  /** The item id string this turn's kept notifications share (`intern.ts` reads and sets it). */
  sharedItemId = "";

  /** The thread the turn runs on (its id, read on every push, is the capture's own field). */
  readonly threadId: string;

  /**
   * @param thread the turn's thread (its id and followers)
   * @param turnId the turn
   * @param onEnd called once when the capture ends
   */
  constructor(
    readonly thread: CapturedThread,
    readonly turnId: string,
    onEnd?: () => void,
  ) {
    this.threadId = thread.threadId;
    this.onEnd = onEnd;
  }

  /** The turn's notifications, first to `turn/completed`, replayed; completes after `turn/completed`. */
  get events$(): Observable<Notification> {
    return this.log.values$;
  }

  /** The turn's server requests with their answers, replayed; completes with the turn. */
  get serverRequests$(): Observable<ServerRequestEvent> {
    return new Observable((subscriber) => this.requestLog().values$.subscribe(subscriber));
  }

  /** True once the turn ended (`turn/completed`, or the end of the wire). */
  get done(): boolean {
    return this.log.done;
  }

  /** How many notifications were delivered. */
  get size(): number {
    return this.log.size;
  }

  /**
   * Folds the turn's notifications with `reducer` from here on, starting with those kept so far,
   * and gives the final state once the capture ends: what `events$.pipe(reduce(reducer, seed))`
   * gives, but computed as the notifications arrive, once for every subscriber, without a
   * subscriber chain per notification.
   *
   * @param reducer a pure reducer (e.g. `turnReducer`)
   * @param seed its initial state
   * @returns one value (the final state) when the turn ends, then complete; the wire's error if it died
   */
  fold<S>(reducer: (state: S, n: Notification) => S, seed: S): Observable<S> {
    const fold = new TurnFold(reducer, seed);
    // Replayed synchronously, so what is kept is folded before anything new arrives.
    this.log.values$.subscribe((n) => (fold.state = reducer(fold.state, n))).unsubscribe();
    if (!this.done) this.addFold(fold as TurnFold<unknown>);
    return new Observable<S>((subscriber) => {
      const end = this.log.endedAs;
      if (end === undefined) return fold.wait(subscriber);
      fold.deliver(subscriber, end);
      return undefined;
    });
  }

  /**
   * Delivers one notification of this turn to its subscribers (and keeps it for later ones).
   * `turn/completed` is delivered, then ends the capture. Ignored once done.
   *
   * @param n a notification of this turn
   */
  push(n: Notification): void {
    const log = this.log;
    if (log.done) return;
    if (this.endInterceptor !== undefined && n.method === "turn/completed") {
      this.endInterceptor(n);
      return;
    }
    for (let fold = this.folds; fold !== undefined; fold = fold.next) fold.state = fold.reducer(fold.state, n);
    log.push(n);
    if (n.method === "turn/completed") this.end();
  }

  /**
   * Intercepts the turn's end: while `interceptor` is set, a `turn/completed` pushed is handed to
   * it instead of being delivered, and the capture stays open; the interceptor pushes the end
   * itself later, after clearing it. A reconnecting client uses it to deliver what a gap missed
   * ahead of the end.
   *
   * @param interceptor gets each `turn/completed` pushed while it is set; `undefined` lets ends through again
   */
  interceptEnd(interceptor: ((end: Notification) => void) | undefined): void {
    this.endInterceptor = interceptor;
  }

  /**
   * Delivers one server request (with its answer) made during this turn. Ignored once done.
   *
   * @param event the request and the answer sent
   */
  pushRequest(event: ServerRequestEvent): void {
    if (!this.done) this.requestLog().push(event);
  }

  /**
   * Ends the capture without `turn/completed`: `events$` completes (or errors with `error`),
   * `serverRequests$` completes. Idempotent.
   *
   * @param error when given, `events$` errors with it (the wire died)
   */
  end(error?: unknown): void {
    if (this.done) return;
    const end: StreamEnd = streamEnd(error);
    // Ended first, told after: the folds' final states go out before the events complete (a
    // `run()` resolves with its turn), and whoever subscribes meanwhile already sees the end.
    const live = this.log.close(end);
    let fold = this.folds;
    this.folds = undefined;
    for (; fold !== undefined; fold = fold.next) fold.settle(end);
    tellEveryone(live, end);
    this.requests?.complete();
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }

  private addFold(fold: TurnFold<unknown>): void {
    let last = this.folds;
    if (last === undefined) {
      this.folds = fold;
      return;
    }
    while (last.next !== undefined) last = last.next;
    last.next = fold;
  }

  private requestLog(): ReplayLog<ServerRequestEvent> {
    if (this.requests === undefined) {
      this.requests = new ReplayLog();
      if (this.done) this.requests.complete();
    }
    return this.requests;
  }
}
