import type { Subscriber } from "rxjs";

/** The live subscribers of a stream nobody follows: one shared empty array (stays in cache). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * @internal The live subscribers of a hot stream and its end, for the streams every notification
 * goes through ({@link HotStream}, and the routing layer's `ReplayLog`): a subclass pushes a value
 * with a plain indexed loop over {@link LiveSubscribers.live}, in its own push method (nothing
 * allocated, no call in between), and subscribes with {@link LiveSubscribers.join}.
 *
 * Copy on write: a subscriber added or removed during a push takes effect from the next push (a
 * push iterates the array it started with). After the end, a subscriber gets the end at once.
 */
export abstract class LiveSubscribers<T> {
  /** The live subscribers; a new array on every change, the shared empty one when there are none. */
  protected live: readonly Subscriber<T>[] = NONE;
  /** `undefined` while open; `null` once completed; `{ error }` once errored. */
  protected ended: { readonly error: unknown } | null | undefined;

  /** True once `complete` or `error` was called; later pushes are ignored. */
  get done(): boolean {
    return this.ended !== undefined;
  }

  /** Completes every live subscriber, and every later one. Idempotent. */
  complete(): void {
    if (this.ended !== undefined) return;
    this.ended = null;
    const live = this.release();
    for (let i = 0; i < live.length; i += 1) (live[i] as Subscriber<T>).complete();
  }

  /**
   * Errors every live subscriber, and every later one. Idempotent.
   *
   * @param error what they error with
   */
  error(error: unknown): void {
    if (this.ended !== undefined) return;
    this.ended = { error };
    const live = this.release();
    for (let i = 0; i < live.length; i += 1) (live[i] as Subscriber<T>).error(error);
  }

  /**
   * Adds a subscriber to the live ones, or gives it the end at once when there was one. A method,
   * not a closure made per stream (see `ReplayLog.replayTo`).
   *
   * @param subscriber who subscribes
   * @returns its teardown (removes it from the live ones), or undefined when it got the end
   */
  protected join(subscriber: Subscriber<T>): (() => void) | undefined {
    if (this.ended !== undefined) {
      if (this.ended === null) subscriber.complete();
      else subscriber.error(this.ended.error);
      return undefined;
    }
    this.live = [...this.live, subscriber];
    return () => this.leave(subscriber);
  }

  private leave(subscriber: Subscriber<T>): void {
    const live = this.live.filter((s) => s !== subscriber);
    this.live = live.length === 0 ? NONE : live;
  }

  private release(): readonly Subscriber<T>[] {
    const live = this.live;
    this.live = NONE;
    return live;
  }
}
