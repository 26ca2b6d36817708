import { Observable, type Subscriber } from "rxjs";

/**
 * @internal A hot multicast for the one stream every notification goes through: what a `Subject`
 * does for `notifications$` (live subscribers get each value; after the end, a subscriber gets
 * the end at once), with a push that allocates nothing. RxJS's `Subject.next` wraps every call in
 * a closure and walks its observers with an iterator object (its ES5 build), a few hundred bytes
 * of garbage per notification on the hottest path of the client.
 *
 * Subscribers added or removed during a push take effect from the next push (copy on write).
 */
export class HotStream<T> {
  /** The live subscribers (named like a Subject's, so tests can count them). */
  observers: readonly Subscriber<T>[] = [];
  private ended: { readonly error: unknown } | null | undefined;
  /** The stream: values pushed while subscribed, then the end. */
  readonly observable: Observable<T> = new Observable<T>((subscriber) => {
    if (this.ended !== undefined) {
      if (this.ended === null) subscriber.complete();
      else subscriber.error(this.ended.error);
      return undefined;
    }
    this.observers = [...this.observers, subscriber];
    return () => {
      this.observers = this.observers.filter((s) => s !== subscriber);
    };
  });

  /** Delivers `value` to every live subscriber; ignored after the end. */
  next(value: T): void {
    if (this.ended !== undefined) return;
    const observers = this.observers;
    for (let i = 0; i < observers.length; i += 1) (observers[i] as Subscriber<T>).next(value);
  }

  /** Completes every subscriber, and every later one. Idempotent. */
  complete(): void {
    if (this.ended !== undefined) return;
    this.ended = null;
    for (const s of this.release()) s.complete();
  }

  /** Errors every subscriber with `error`, and every later one. Idempotent. */
  error(error: unknown): void {
    if (this.ended !== undefined) return;
    this.ended = { error };
    for (const s of this.release()) s.error(error);
  }

  private release(): readonly Subscriber<T>[] {
    const observers = this.observers;
    this.observers = [];
    return observers;
  }
}
