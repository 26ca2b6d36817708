import { Observable, asyncScheduler, take, timer, type SchedulerLike, type Subscription } from "rxjs";
import { backoffDefaults, backoffDelay } from "./backoffDelay.js";
import { ReconnectFailedError } from "../errors/index.js";

/** How a transport reconnects after a drop. Every field is optional. */
export interface ReconnectOptions {
  /** How many reconnect attempts in a row before giving up. Default 8. */
  readonly maxAttempts?: number;
  /** Delay before the first attempt, in ms; doubled for each next one. Default 250. */
  readonly initialDelayMs?: number;
  /** No delay is longer than this, in ms (jitter included). Default 5000. */
  readonly maxDelayMs?: number;
  /** Relative jitter of each delay (±). Default 0.2. */
  readonly jitterRatio?: number;
}

/** The reconnect defaults, in ms: the backoff of `backoffDefaults`, with a longer cap. */
export const reconnectDefaults = {
  maxAttempts: 8,
  initialDelayMs: backoffDefaults.initialDelayMs,
  // Not backoffDefaults' 2000 on purpose: that cap is for retrying a busy server, which answers
  // again within moments; a reconnect waits for a server that restarts or a network that comes
  // back, so its 8 attempts spread over ≈23 s (250 ms doubling, capped at 5 s) rather than ≈12 s.
  maxDelayMs: 5000,
  jitterRatio: backoffDefaults.jitterRatio,
} as const;

/** One step of {@link reconnectLoop}. */
export type ReconnectStep<T> =
  /** Waiting for attempt `attempt` (emitted when the wait starts); `error` is why the previous connection or attempt failed. */
  | { readonly type: "waiting"; readonly attempt: number; readonly delayMs: number; readonly error: unknown }
  /** Attempt `attempt` succeeded with `value`; the loop completes. */
  | { readonly type: "open"; readonly attempt: number; readonly value: T };

/**
 * Reconnects with backoff: waits `backoffDelay(n)` on `scheduler`, subscribes to `dial(n)` (its
 * first value is the new connection), and on failure tries again, up to `maxAttempts`. Errors
 * with {@link ReconnectFailedError} (the last dial error as `cause`) when every attempt failed, or
 * at once when `fatal(error)` says retrying cannot help. Unsubscribing stops the loop (and the
 * dial in flight).
 *
 * ```
 * dial(1)      --#             (subscribed after 2 frames: delays 2, 4; random() = 0.5, no jitter)
 * dial(2)      -------a        (subscribed at frame 6)
 * loop         w-x----(o|)     w = waiting 1, x = waiting 2, o = open 2
 * ```
 *
 * @param dial one connection attempt, by attempt number (1-based): first value = connected
 * @param cause why the connection dropped (the `error` of the first `waiting` step)
 * @param options `maxAttempts`, `initialDelayMs`, `maxDelayMs`, `jitterRatio`
 * @param scheduler where the delays run; a `TestScheduler` in tests. Default `asyncScheduler`.
 * @param random uniform in [0, 1) for the jitter; default `Math.random`
 * @param fatal true for an error no retry can fix; default: none
 * @returns the steps: `waiting` per attempt, then one `open` and complete
 * @throws {ReconnectFailedError} (as the Observable's error) when it gives up
 * @example
 * ```ts
 * reconnectLoop((n) => from(openSocket()), dropError, { maxAttempts: 5 }).subscribe((s) => console.log(s.type, s.attempt));
 * ```
 */
export function reconnectLoop<T>(
  dial: (attempt: number) => Observable<T>,
  cause: unknown,
  options: ReconnectOptions = {},
  scheduler: SchedulerLike = asyncScheduler,
  random: () => number = Math.random,
  fatal: (error: unknown) => boolean = () => false,
): Observable<ReconnectStep<T>> {
  const maxAttempts = options.maxAttempts ?? reconnectDefaults.maxAttempts;
  const backoff = {
    initialDelayMs: options.initialDelayMs ?? reconnectDefaults.initialDelayMs,
    maxDelayMs: options.maxDelayMs ?? reconnectDefaults.maxDelayMs,
    jitterRatio: options.jitterRatio ?? reconnectDefaults.jitterRatio,
  };
  return new Observable<ReconnectStep<T>>((subscriber) => {
    let current: Subscription | undefined;
    /** Attempt `n` failed with `failure`: the next attempt, or ReconnectFailedError after the last one or when `last` (no retry can help). */
    const failed = (n: number, failure: unknown, last: boolean): void => {
      if (last || n >= maxAttempts) subscriber.error(new ReconnectFailedError(n, { cause: failure }));
      else attempt(n + 1, failure);
    };
    const attempt = (n: number, error: unknown): void => {
      const delayMs = backoffDelay(n, backoff, random);
      subscriber.next({ type: "waiting", attempt: n, delayMs, error });
      current = timer(delayMs, scheduler).subscribe(() => {
        current = dial(n)
          .pipe(take(1))
          .subscribe({
            next: (value) => {
              subscriber.next({ type: "open", attempt: n, value });
              subscriber.complete();
            },
            error: (failure: unknown) => failed(n, failure, fatal(failure)),
            // A dial that completes without a connection counts as a failed attempt (never a fatal one).
            complete: () => {
              if (!subscriber.closed) failed(n, new Error("the connection attempt ended without a connection"), false);
            },
          });
      });
    };
    // The drop is the failure of attempt 0; with no attempt allowed it is the last.
    failed(0, cause, maxAttempts < 1);
    return () => current?.unsubscribe();
  });
}
