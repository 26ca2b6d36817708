import type { Subscriber } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { StreamEnd } from "../streams/StreamEnd.js";

/**
 * @internal One running fold of a turn's notifications (see `TurnCapture.fold`): the reducer, the
 * state so far, and who waits for the final state. The capture steps it on every push (no
 * subscriber chain per notification) and settles it when the turn ends. A capture's folds form a
 * list in the order they began (`next`): a turn usually has one, its `run()`.
 */
export class TurnFold<S> {
  /** The fold begun after this one on the same turn. */
  next: TurnFold<unknown> | undefined;
  private waiting: Subscriber<S>[] = [];

  /**
   * @param reducer a pure reducer (e.g. `turnReducer`)
   * @param state its initial state
   */
  constructor(
    readonly reducer: (state: S, n: Notification) => S,
    public state: S,
  ) {}

  /**
   * Adds a subscriber that gets the final state when the turn ends.
   *
   * @param subscriber who waits
   * @returns removes it again
   */
  wait(subscriber: Subscriber<S>): () => void {
    this.waiting.push(subscriber);
    return () => {
      this.waiting = this.waiting.filter((s) => s !== subscriber);
    };
  }

  /**
   * The turn ended: every waiting subscriber gets the final state (or the error).
   *
   * @param end how the turn's stream ended
   */
  settle(end: StreamEnd): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const subscriber of waiting) this.deliver(subscriber, end);
  }

  /**
   * Gives one subscriber the fold's outcome: the final state then complete, or the error.
   *
   * @param subscriber who gets it
   * @param end how the turn's stream ended
   */
  deliver(subscriber: Subscriber<S>, end: StreamEnd): void {
    if (end !== "completed") subscriber.error(end.error);
    else {
      subscriber.next(this.state);
      subscriber.complete();
    }
  }
}
