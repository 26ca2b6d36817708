import { Observable, from, type MonoTypeOperatorFunction, type ObservableInput } from "rxjs";

/**
 * "Subscribe first, learn the key later": subscribes to the source at once and buffers its
 * values until `key$` yields a key, then emits the buffered values whose key matches, in order,
 * and after that every matching live value. This is how a turn captures its events before the
 * `turn/start` response (which carries the turn id) arrives: nothing sent in between is lost.
 *
 * ```
 * source:  -a-b-a--b-a-|
 * key$:    ------(k|)        (k = "a")
 * result:  ------(aa)--a-|
 * ```
 *
 * Errors of `key$` error the result (the buffer is dropped). If `key$` completes without a key,
 * the result completes. Unsubscribing drops the buffer and both subscriptions.
 *
 * @param key$ yields the key (its first value is used); a Promise works
 * @param keyOf the key of a source value, or undefined when it has none
 * @returns an operator that filters by a key known only later
 * @example
 * ```ts
 * notifications$.pipe(filterByKey(startTurn().then((r) => r.turn.id), turnIdOf));
 * ```
 */
export function filterByKey<T, K>(key$: ObservableInput<K>, keyOf: (value: T) => K | undefined): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      let buffer: T[] | undefined = [];
      let known = false;
      let key: K | undefined;
      let sourceDone = false;
      const sourceSubscription = source.subscribe({
        next: (value) => {
          if (buffer !== undefined) buffer.push(value);
          else if (keyOf(value) === key) subscriber.next(value);
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          // Values arrived but the key never did: wait for it (the key decides what was ours).
          if (buffer === undefined) subscriber.complete();
          else sourceDone = true;
        },
      });
      const keySubscription = from(key$).subscribe({
        next: (k) => {
          if (known) return;
          known = true;
          key = k;
          const held = buffer ?? [];
          buffer = undefined;
          for (const value of held) {
            if (subscriber.closed) return;
            if (keyOf(value) === k) subscriber.next(value);
          }
          if (sourceDone) subscriber.complete();
        },
        error: (error: unknown) => {
          buffer = undefined;
          subscriber.error(error);
        },
        complete: () => {
          if (!known) {
            buffer = undefined;
            subscriber.complete();
          }
        },
      });
      return () => {
        buffer = undefined;
        sourceSubscription.unsubscribe();
        keySubscription.unsubscribe();
      };
    });
}
