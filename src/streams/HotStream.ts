import { Observable, type Subscriber } from "rxjs";
import { LiveSubscribers } from "./LiveSubscribers.js";

/**
 * @internal A hot multicast for the one stream every notification goes through: what a `Subject`
 * does for `notifications$` (live subscribers get each value; after the end, a subscriber gets
 * the end at once), with a push that allocates nothing. RxJS's `Subject.next` wraps every call in
 * a closure and walks its observers with an iterator object (its ES5 build), a few hundred bytes
 * of garbage per notification on the hottest path of the client.
 *
 * Subscribers added or removed during a push take effect from the next push (copy on write, see
 * {@link LiveSubscribers}).
 */
export class HotStream<T> extends LiveSubscribers<T> {
  /** The stream: values pushed while subscribed, then the end. */
  readonly observable: Observable<T> = new Observable<T>((subscriber) => this.join(subscriber));

  /** The live subscribers (named like a Subject's, so tests can count them). */
  get observers(): readonly Subscriber<T>[] {
    return this.live;
  }

  /** Delivers `value` to every live subscriber; ignored after the end. */
  next(value: T): void {
    if (this.ended !== undefined) return;
    const live = this.live;
    for (let i = 0; i < live.length; i += 1) (live[i] as Subscriber<T>).next(value);
  }
}
