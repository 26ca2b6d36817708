/** The backoff knobs of {@link backoffDelay} (a subset of `RetryOnOverloadOptions`). */
export interface BackoffOptions {
  /** Delay before the second attempt, in ms. Default 250. */
  readonly initialDelayMs?: number;
  /** No delay is ever longer than this (jitter included), in ms. Default 2000. */
  readonly maxDelayMs?: number;
  /** Relative jitter: the delay is spread uniformly over ±`jitterRatio` of its base. Default 0.2. */
  readonly jitterRatio?: number;
}

/** The Python SDK's `retry_on_overload` defaults, in ms. */
export const backoffDefaults = { initialDelayMs: 250, maxDelayMs: 2000, jitterRatio: 0.2 } as const;

/**
 * How long to wait after failed attempt number `attempt` (1-based) before the next one: the
 * Python SDK's backoff, exponential ×2 from `initialDelayMs`, capped at `maxDelayMs`, with
 * ±`jitterRatio` jitter that never pushes the delay above the cap nor below 0. Pure: the only
 * randomness is the `random` function you pass.
 *
 * ```
 * attempt      1     2     3      4      5 …
 * base (ms)   250   500   1000   2000   2000      random() = 0.5 → no jitter
 * range (ms)  200…300 400…600 800…1200 1600…2000 …
 * ```
 *
 * @param attempt the number of the attempt that just failed, 1 for the first
 * @param options `initialDelayMs` (250), `maxDelayMs` (2000), `jitterRatio` (0.2)
 * @param random a uniform number in [0, 1); 0.5 means no jitter. Default `Math.random`.
 * @returns the delay in ms before attempt `attempt + 1`
 * @throws {RangeError} when `attempt` is not a positive integer
 * @example
 * ```ts
 * backoffDelay(1, {}, () => 0.5); // 250
 * backoffDelay(2, {}, () => 0.5); // 500
 * backoffDelay(9, {}, () => 0.5); // 2000 (capped)
 * backoffDelay(1, {}, () => 0);   // 200  (-20 %)
 * ```
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new RangeError(`backoffDelay: attempt must be a positive integer, got ${attempt}`);
  const initial = options.initialDelayMs ?? backoffDefaults.initialDelayMs;
  const max = options.maxDelayMs ?? backoffDefaults.maxDelayMs;
  const ratio = options.jitterRatio ?? backoffDefaults.jitterRatio;
  // 2 ** (attempt - 1) overflows to Infinity for huge attempts; min() with the cap keeps it finite.
  const base = Math.min(max, initial * 2 ** (attempt - 1));
  // As in the Python SDK: clamp the ratio first so base × ratio cannot overflow.
  const jitter = base > 0 ? base * Math.min(ratio, max / base) : 0;
  return Math.min(max, Math.max(0, base + (random() * 2 - 1) * jitter));
}
