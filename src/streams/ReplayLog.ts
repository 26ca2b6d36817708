import { Observable, type Subscriber } from "rxjs";
import { LiveSubscribers } from "./LiveSubscribers.js";

/**
 * @internal An unbounded replay: every value pushed is kept, and each subscriber gets all of them
 * in order, then the live ones, then the end. What `ReplaySubject` does for a turn's events, minus
 * what a turn never needs (window trimming, timestamps, the Subject's observer API on the hot
 * path): a push is one array append and one `next` per live subscriber.
 *
 * ```
 * push:        a-b---c-|
 * values$ (subscribed at frame 4):
 *              ----(ab)c-|
 * ```
 *
 * Re-entrancy: a value pushed while a subscriber is being replayed to (a subscriber whose `next`
 * leads to a push) is delivered to it once, in order; a subscriber added or removed during a push
 * takes effect from the next push (copy on write, see {@link LiveSubscribers}).
 */
export class ReplayLog<T> extends LiveSubscribers<T> {
  /** What is kept, by the default {@link ReplayLog.keep}; made on first use. */
  private log: T[] | undefined;
  private count = 0;
  /** Every value so far, then the live ones, then the end; subscribed at any time. */
  readonly values$: Observable<T>;

  constructor() {
    super();
    this.values$ = new Observable<T>((subscriber) => this.replayTo(subscriber));
  }

  /** How many values are kept. */
  get size(): number {
    return this.count;
  }

  /** Keeps `value` and delivers it to every live subscriber. Ignored once done. */
  push(value: T): void {
    if (this.ended !== undefined) return;
    this.count += 1;
    this.keep(value);
    const live = this.live;
    for (let i = 0; i < live.length; i += 1) (live[i] as Subscriber<T>).next(value);
  }

  /**
   * Replays the log to a new subscriber, then adds it to the live ones. A method, not a closure
   * made per log: the replay loop is the one hot loop over a whole turn, and V8 may keep the
   * function it optimizes (with its context) alive past the loop, for a compile job still in
   * flight. A per-log closure would pin the whole replay that way after its handle is dropped;
   * a shared method pins nothing of any turn.
   */
  private replayTo(subscriber: Subscriber<T>): (() => void) | undefined {
    if (!this.replayKept(subscriber)) return undefined;
    return this.join(subscriber);
  }

  /**
   * Keeps one value for later subscribers. A subclass may keep it in a form of its own (a turn's
   * `NotificationLog` keeps runs of deltas), as long as {@link ReplayLog.replayKept} gives back equal values in order.
   *
   * @param value the value pushed
   */
  protected keep(value: T): void {
    (this.log ??= []).push(value);
  }

  /**
   * Gives a new subscriber every value kept so far, in order, reading the length as it goes (what
   * is kept during the replay is replayed too).
   *
   * @param subscriber who gets them
   * @returns false when the subscriber closed on the way
   */
  protected replayKept(subscriber: Subscriber<T>): boolean {
    const log = this.log;
    if (log === undefined) return !subscriber.closed;
    for (let i = 0; i < log.length; i += 1) {
      if (subscriber.closed) return false;
      subscriber.next(log[i] as T);
    }
    return !subscriber.closed;
  }
}
