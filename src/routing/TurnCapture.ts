import { Observable, type Subscriber } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import { NotificationLog } from "./NotificationLog.js";
import { ReplayLog } from "./ReplayLog.js";
import { NO_FOLLOWERS } from "./ThreadRoutes.js";

/** A running fold (see {@link TurnCapture.fold}): its state, then its end; who waits for it. */
interface Fold<S> {
  readonly reducer: (state: S, n: Notification) => S;
  state: S;
  /** `undefined` while running; `null` once it ended well; `{ error }` once the wire died. */
  ended: { readonly error: unknown } | null | undefined;
  waiting: Subscriber<S>[];
}

/** The folds of a capture that has no second one: one shared empty array. */
const NO_FOLDS: readonly Fold<unknown>[] = Object.freeze([]);

/**
 * @internal One turn's sink in the {@link NotificationRouter}: its notifications from the first
 * to `turn/completed` (inclusive) and the server requests made during it, each kept and replayed
 * to every subscriber (a `TurnHandle` is a view of one). It lives as long as whoever holds it: the
 * router lets go of it at `turn/completed` (or when the connection ends).
 *
 * It is the events' replay log itself, a {@link NotificationLog} (one object per turn on the hot
 * path, not three: with a thousand turns open, every object a notification touches is a likely
 * cache miss), which keeps a run of deltas as its delta strings.
 *
 * `push` / `pushRequest` are also how code outside the wire (a reconnecting client resuming a
 * thread) delivers notifications into the turn: `turn/completed` ends it, whoever pushes it.
 */
export class TurnCapture extends NotificationLog {
  /** Made on first use: most turns see no server request. */
  private requests: ReplayLog<ServerRequestEvent> | undefined;
  /** The last item id seen, kept once (see `itemIdOf`). */
  private itemId = "";
  private endError: unknown;
  /**
   * The running folds (see `fold`), called in push order, no subscriber chain: the first in a
   * field of its own (a turn has one, its `run()`), so that a push reads no array for it.
   */
  private fold1: Fold<unknown> | undefined;
  /** The first fold's reducer and running state, on the capture itself (its `state` is set at the end). */
  private fold1Reducer: ((state: unknown, n: Notification) => unknown) | undefined;
  private fold1State: unknown;
  private folds: readonly Fold<unknown>[] = NO_FOLDS;
  /** The followers of the turn's thread (kept by the router's thread table; see `ThreadRoutes.followers`). */
  followers: readonly Subscriber<Notification>[] = NO_FOLLOWERS;
  /** Called once when the capture ends, whatever ended it (the router forgets the turn). */
  private onEnd: (() => void) | undefined;
  /** While set, a `turn/completed` pushed goes here instead (see `interceptEnd`). */
  private endHold: ((end: Notification) => void) | undefined;
  /** The turn's server requests with their answers, replayed; completes with the turn. */
  get serverRequests$(): Observable<ServerRequestEvent> {
    return new Observable((subscriber) => this.requestLog().values$.subscribe(subscriber));
  }

  /**
   * @param threadId the thread the turn runs on
   * @param turnId the turn
   * @param onEnd called once when the capture ends
   */
  constructor(
    readonly threadId: string,
    readonly turnId: string,
    onEnd?: () => void,
  ) {
    super();
    this.onEnd = onEnd;
  }

  /** The turn's notifications, first to `turn/completed`, replayed; completes after `turn/completed`. */
  get events$(): Observable<Notification> {
    return this.values$;
  }

  /**
   * The one copy of an item id this capture keeps: its streamed notifications name the same item
   * thousands of times.
   *
   * @param itemId an item id read from a notification
   * @returns an equal string, the same object for consecutive notifications of one item
   */
  itemIdOf(itemId: string): string {
    if (itemId !== this.itemId) this.itemId = itemId;
    return this.itemId;
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
    const fold: Fold<S> = { reducer, state: seed, ended: undefined, waiting: [] };
    this.values$.subscribe((n) => (fold.state = reducer(fold.state, n))).unsubscribe();
    if (this.done) fold.ended = this.endError === undefined ? null : { error: this.endError };
    else if (this.fold1 === undefined) {
      this.fold1 = fold as unknown as Fold<unknown>;
      this.fold1Reducer = reducer as (state: unknown, n: Notification) => unknown;
      this.fold1State = fold.state;
    }
    else this.folds = [...this.folds, fold as unknown as Fold<unknown>];
    return new Observable<S>((subscriber) => {
      if (fold.ended === undefined) {
        fold.waiting.push(subscriber);
        return () => {
          fold.waiting = fold.waiting.filter((s) => s !== subscriber);
        };
      }
      deliver(fold, subscriber);
      return undefined;
    });
  }

  /**
   * Delivers one notification of this turn to its subscribers (and keeps it for later ones).
   * `turn/completed` is delivered, then ends the capture. Ignored once done.
   *
   * @param n a notification of this turn
   */
  override push(n: Notification): void {
    if (this.done) return;
    if (this.endHold !== undefined && n.method === "turn/completed") {
      this.endHold(n);
      return;
    }
    const reducer = this.fold1Reducer;
    if (reducer !== undefined) this.fold1State = reducer(this.fold1State, n);
    const folds = this.folds;
    for (let i = 0; i < folds.length; i += 1) {
      const fold = folds[i] as Fold<unknown>;
      fold.state = fold.reducer(fold.state, n);
    }
    super.push(n);
    if (n.method === "turn/completed") this.end();
  }

  /**
   * Holds the turn's end back: while `hold` is set, a `turn/completed` pushed is handed to it
   * instead of being delivered, and the capture stays open; whoever holds it pushes the end
   * itself later, after clearing the hold. A reconnecting client uses it to deliver what a gap
   * missed ahead of the end.
   *
   * @param hold gets each `turn/completed` pushed while it is set; `undefined` lets ends through again
   */
  interceptEnd(hold: ((end: Notification) => void) | undefined): void {
    this.endHold = hold;
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
    this.endError = error;
    const fold1 = this.fold1;
    if (fold1 !== undefined) fold1.state = this.fold1State;
    const folds = fold1 === undefined ? this.folds : [fold1, ...this.folds];
    this.fold1 = undefined;
    this.fold1Reducer = undefined;
    this.fold1State = undefined;
    this.folds = NO_FOLDS;
    for (const fold of folds) settle(fold, error);
    if (error === undefined) super.complete();
    else super.error(error);
    this.requests?.complete();
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }

  /** Ends the capture (see {@link TurnCapture.end}). */
  override complete(): void {
    this.end();
  }

  /**
   * Ends the capture with an error (see {@link TurnCapture.end}).
   *
   * @param error what `events$` errors with
   */
  override error(error: unknown): void {
    this.end(error);
  }

  private requestLog(): ReplayLog<ServerRequestEvent> {
    if (this.requests === undefined) {
      this.requests = new ReplayLog();
      if (this.done) this.requests.complete();
    }
    return this.requests;
  }
}

function settle<S>(fold: Fold<S>, error: unknown): void {
  fold.ended = error === undefined ? null : { error };
  const waiting = fold.waiting;
  fold.waiting = [];
  for (const subscriber of waiting) deliver(fold, subscriber);
}

function deliver<S>(fold: Fold<S>, subscriber: Subscriber<S>): void {
  if (fold.ended === undefined) return;
  if (fold.ended !== null) subscriber.error(fold.ended.error);
  else {
    subscriber.next(fold.state);
    subscriber.complete();
  }
}
