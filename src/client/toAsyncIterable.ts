import type { Observable, Subscription } from "rxjs";

/** Options of {@link toAsyncIterable}. */
export interface ToAsyncIterableOptions {
  /**
   * Keep only the newest value while the consumer is busy (conflation): right for snapshots,
   * where each value supersedes the previous one. Default false: every value, in order.
   */
  readonly latestOnly?: boolean;
}

/**
 * An Observable as an async iterator, for code that prefers `for await` to RxJS. The source is
 * subscribed on the first `next()`; values that arrive while the consumer is busy wait in a queue
 * (or, with `latestOnly`, only the newest waits), so nothing is lost and a slow consumer paces
 * itself. `break` / `return()` unsubscribes; an error of the source is thrown from `next()`.
 *
 * @param source any Observable
 * @param options `latestOnly` for conflation
 * @returns an async iterable iterator over the source's values
 * @example
 * ```ts
 * for await (const n of toAsyncIterable(turn.events$)) if (n.method === "turn/completed") console.log("done");
 * ```
 */
export function toAsyncIterable<T>(source: Observable<T>, options: ToAsyncIterableOptions = {}): AsyncIterableIterator<T> {
  // Let go of the source once subscribed: the per-value closures below share this scope, and V8
  // may hold a hot closure's scope for a while after the loop (an optimizing job in flight); a
  // source still named here would keep a finished turn's whole replay alive through it.
  let from: Observable<T> | undefined = source;
  const queue: T[] = [];
  let subscription: Subscription | undefined;
  let finished = false;
  let failure: { readonly error: unknown } | undefined;
  let waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;

  const settle = (): void => {
    const w = waiting;
    if (w === undefined) return;
    if (queue.length > 0) {
      waiting = undefined;
      w.resolve({ value: queue.shift() as T, done: false });
    } else if (failure !== undefined) {
      waiting = undefined;
      const { error } = failure;
      failure = undefined;
      finished = true;
      w.reject(error);
    } else if (finished) {
      waiting = undefined;
      w.resolve({ value: undefined, done: true });
    }
  };

  const iterator: AsyncIterableIterator<T> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    next(): Promise<IteratorResult<T>> {
      if (from !== undefined && !finished) {
        const subscribing = from;
        from = undefined;
        subscription = subscribing.subscribe({
          next: (value) => {
            if (options.latestOnly) queue.length = 0;
            queue.push(value);
            settle();
          },
          error: (error: unknown) => {
            failure = { error };
            settle();
          },
          complete: () => {
            finished = true;
            settle();
          },
        });
      }
      return new Promise<IteratorResult<T>>((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      });
    },
    return(): Promise<IteratorResult<T>> {
      finished = true;
      from = undefined;
      queue.length = 0;
      failure = undefined;
      subscription?.unsubscribe();
      settle();
      return Promise.resolve({ value: undefined, done: true });
    },
  };
  return iterator;
}
