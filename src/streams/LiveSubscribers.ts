import type { Subscriber } from "rxjs";
import { tellEnd, type StreamEnd } from "./StreamEnd.js";

/** The live subscribers of a stream nobody follows: one shared empty array (stays in cache). */
const NONE: readonly never[] = Object.freeze([]);

/**
 * @internal The live subscribers of a hot stream and its end, for the streams every notification
 * goes through ({@link HotStream}, {@link ReplayLog}): a subclass pushes a value with a plain
 * indexed loop over {@link LiveSubscribers.live}, in its own push method (nothing allocated, no
 * call in between), and subscribes with {@link LiveSubscribers.join}.
 *
 * Copy on write: a subscriber added or removed during a push takes effect from the next push (a
 * push iterates the array it started with). After the end, a subscriber gets the end at once.
 */
export abstract class LiveSubscribers<T> {
  /** The live subscribers; a new array on every change, the shared empty one when there are none. */
  protected live: readonly Subscriber<T>[] = NONE;
  /** How the stream ended; `undefined` while it is open. */
  protected ended: StreamEnd | undefined;

  /** True once the stream ended; later pushes are ignored. */
  get done(): boolean {
    return this.ended !== undefined;
  }

  /** How the stream ended; `undefined` while it is open. */
  get endedAs(): StreamEnd | undefined {
    return this.ended;
  }

  /** Completes every live subscriber, and every later one. Idempotent. */
  complete(): void {
    this.end("completed");
  }

  /**
   * Errors every live subscriber, and every later one. Idempotent.
   *
   * @param error what they error with
   */
  error(error: unknown): void {
    this.end({ error });
  }

  /**
   * Ends the stream for every live subscriber, and every later one. Idempotent.
   *
   * @param end how it ends
   */
  end(end: StreamEnd): void {
    tellEveryone(this.close(end), end);
  }

  /**
   * Marks the stream ended without telling anyone yet: from now on it is {@link done} and a new
   * subscriber gets the end at once. For an owner that has more to settle before the live
   * subscribers hear of the end ({@link tellEveryone} them then).
   *
   * @param end how it ends
   * @returns the live subscribers to tell (none when it had ended already)
   */
  close(end: StreamEnd): readonly Subscriber<T>[] {
    if (this.ended !== undefined) return NONE;
    this.ended = end;
    const live = this.live;
    this.live = NONE;
    return live;
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
      tellEnd(subscriber, this.ended);
      return undefined;
    }
    this.live = [...this.live, subscriber];
    return () => this.leave(subscriber);
  }

  private leave(subscriber: Subscriber<T>): void {
    const live = this.live.filter((s) => s !== subscriber);
    this.live = live.length === 0 ? NONE : live;
  }
}

/**
 * Tells each subscriber the end of their stream, in the order they subscribed.
 *
 * @param subscribers who is told (what {@link LiveSubscribers.close} returned)
 * @param end how the stream ended
 */
export function tellEveryone(subscribers: readonly Subscriber<unknown>[], end: StreamEnd): void {
  for (let i = 0; i < subscribers.length; i += 1) tellEnd(subscribers[i] as Subscriber<unknown>, end);
}
