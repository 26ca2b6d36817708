import { asyncScheduler, defer, retry, throwError, timeout, timer, type MonoTypeOperatorFunction, type Observable, type SchedulerLike } from "rxjs";
import { backoffDefaults, backoffDelay, type BackoffOptions } from "../transport/backoffDelay.js";
import { RetryLimitExceededError, ServerBusyError } from "../errors/index.js";

/** What {@link RetryOnOverloadOptions.onRetry} is told before each wait. */
export interface RetryEvent {
  /** The attempt that just failed (1-based). */
  readonly attempt: number;
  /** How long the operator now waits before attempt `attempt + 1`. */
  readonly delayMs: number;
  /** The error that attempt failed with. */
  readonly error: ServerBusyError;
}

/** Options of {@link retryOnOverload} and {@link withRetry}; the defaults are the Python SDK's. */
export interface RetryOnOverloadOptions extends BackoffOptions {
  /** Total attempts, the first one included. Default 3. */
  readonly maxAttempts?: number;
  /**
   * Overall deadline in ms, from subscription across every attempt and wait, until the first
   * value. Default 300,000. `Infinity`: none.
   */
  readonly timeoutMs?: number;
  /** Where the backoff and deadline timers run. Default `asyncScheduler`; a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
  /** Uniform numbers in [0, 1) for the jitter. Default `Math.random`; `() => 0.5` means no jitter. */
  readonly random?: () => number;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (event: RetryEvent) => void;
}

/** The defaults of {@link retryOnOverload}. */
const retryDefaults = { ...backoffDefaults, maxAttempts: 3, timeoutMs: 300_000 } as const;

/**
 * Resubscribes to the source when it fails with {@link ServerBusyError} (the app-server's -32001
 * "Server overloaded; retry later."), waiting an exponential, capped, jittered backoff between
 * attempts ({@link backoffDelay}): the Python SDK's `retry_on_overload`. Any other error passes
 * through at once, untouched. Unlike rxjs `retry`, it retries one error class only, gives up
 * with a typed {@link RetryLimitExceededError}, and has an overall deadline.
 *
 * Meant for cold one-value sources such as `defer(() => codex.request(…))`: each attempt is a new
 * subscription, so a new request. Values already emitted are not taken back.
 *
 * ```
 * source:   --#                 (attempt 1: busy)
 *                 --#           (attempt 2, after 250 ms: busy)
 *                          --a| (attempt 3, after 500 ms: ok)
 * result:   -------------------a|
 * ```
 *
 * @param options `maxAttempts` (3), `initialDelayMs` (250), `maxDelayMs` (2000), `jitterRatio`
 *   (0.2), `timeoutMs` (300,000), `scheduler` (async), `random` (Math.random), `onRetry`
 * @returns an operator that mirrors the source, retried on overload
 * @throws {RangeError} (synchronously) when an option is out of range
 * @throws {RetryLimitExceededError} (on the stream) when `maxAttempts` attempts were all busy
 *   (`reason: "attempts"`), or the deadline passed (`reason: "deadline"`); `cause` is the last
 *   `ServerBusyError`
 * @example
 * ```ts
 * const models = await firstValueFrom(defer(() => codex.request("model/list", {})).pipe(retryOnOverload()));
 * ```
 * @see withRetry for Promises
 * @see backoffDelay for the schedule
 */
export function retryOnOverload<T>(options: RetryOnOverloadOptions = {}): MonoTypeOperatorFunction<T> {
  const maxAttempts = options.maxAttempts ?? retryDefaults.maxAttempts;
  const timeoutMs = options.timeoutMs ?? retryDefaults.timeoutMs;
  validate(maxAttempts, timeoutMs, options);
  const scheduler = options.scheduler ?? asyncScheduler;
  const random = options.random ?? Math.random;
  return (source: Observable<T>) =>
    // defer: the attempt count and last error belong to one subscription, not to the operator.
    defer(() => {
      let attempts = 0;
      let lastBusy: ServerBusyError | undefined;
      const retried$ = defer(() => {
        attempts += 1;
        return source;
      }).pipe(
        retry({
          delay: (error: unknown) => {
            if (!(error instanceof ServerBusyError)) return throwError(() => error);
            lastBusy = error;
            if (attempts >= maxAttempts) return throwError(() => new RetryLimitExceededError(attempts, { cause: error, reason: "attempts" }));
            const delayMs = backoffDelay(attempts, options, random);
            options.onRetry?.({ attempt: attempts, delayMs, error });
            return timer(delayMs, scheduler);
          },
        }),
      );
      if (timeoutMs === Infinity) return retried$;
      return retried$.pipe(
        timeout({
          first: timeoutMs,
          with: () => throwError(() => new RetryLimitExceededError(attempts, { cause: lastBusy, reason: "deadline" })),
          scheduler,
        }),
      );
    });
}

function validate(maxAttempts: number, timeoutMs: number, options: BackoffOptions): void {
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`retryOnOverload: maxAttempts must be an integer >= 1, got ${maxAttempts}`);
  if (Number.isNaN(timeoutMs) || timeoutMs <= 0) throw new RangeError(`retryOnOverload: timeoutMs must be > 0, got ${timeoutMs}`);
  for (const key of ["initialDelayMs", "maxDelayMs", "jitterRatio"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new RangeError(`retryOnOverload: ${key} must be a finite number >= 0, got ${value}`);
  }
}
