import type { Observer } from "rxjs";

/**
 * How a stream ended: `"completed"`, or `{ error }` when it failed. Where a stream may still be
 * open, the field is `StreamEnd | undefined` (`undefined`: not ended yet).
 */
export type StreamEnd = "completed" | { readonly error: unknown };

/**
 * The end of a stream that ended with `error` when there is one, else completed.
 *
 * @param error what the stream failed with, or undefined when it completed
 * @returns the {@link StreamEnd}
 */
export function streamEnd(error?: unknown): StreamEnd {
  return error === undefined ? "completed" : { error };
}

/**
 * Gives an observer the end of a stream: `complete()` or `error(error)`.
 *
 * @param observer who is told
 * @param end how the stream ended
 */
export function tellEnd(observer: Pick<Observer<unknown>, "complete" | "error">, end: StreamEnd): void {
  if (end === "completed") observer.complete();
  else observer.error(end.error);
}
