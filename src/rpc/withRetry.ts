import { defer, firstValueFrom } from "rxjs";
import { retryOnOverload, type RetryOnOverloadOptions } from "./retryOnOverload.js";

/**
 * {@link retryOnOverload} for Promises: calls `fn` again while it rejects with
 * `ServerBusyError`, with the same backoff, attempts and deadline. Built as
 * `firstValueFrom(defer(fn).pipe(retryOnOverload(options)))`, so every attempt is a fresh call.
 *
 * The deadline covers the whole call (default 300 s). A long turn can outlast it: retry the
 * start of the turn (`thread.turn(…)`), or pass `timeoutMs: Infinity`. At the deadline, `fn`'s
 * Promise is abandoned, not cancelled: the server-side work goes on.
 *
 * @param fn makes one attempt; called once per attempt
 * @param options `maxAttempts` (3), `initialDelayMs` (250), `maxDelayMs` (2000), `jitterRatio`
 *   (0.2), `timeoutMs` (300,000), `scheduler`, `random`, `onRetry`
 * @returns what the first successful attempt resolved with
 * @throws {RetryLimitExceededError} when every attempt was busy, or the deadline passed
 * @throws {RangeError} when an option is out of range
 * @throws {Error} whatever `fn` rejects with, other than `ServerBusyError`, untouched
 * @example
 * ```ts
 * const thread = await withRetry(() => codex.threadStart({ cwd }));
 * const turn = await withRetry(() => thread.turn("Summarize the repo"), { maxAttempts: 5 });
 * ```
 */
export async function withRetry<T>(fn: () => PromiseLike<T>, options?: RetryOnOverloadOptions): Promise<T> {
  // async: a RangeError from the options rejects the Promise instead of throwing synchronously.
  return firstValueFrom(defer(fn).pipe(retryOnOverload<T>(options)));
}
