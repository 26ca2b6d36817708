// The leaf's tiny shared helpers: every layer may use them.
import { CodexError } from "./CodexError.js";

/**
 * Marks a branch the type checker has proven unreachable; reaching it anyway (a value from outside
 * the types, e.g. plain JavaScript) throws.
 *
 * @param value the value no case matched
 * @param what what kind of value it is, for the message
 * @returns never
 * @throws {TypeError} always
 */
export function assertNever(value: never, what: string): never {
  throw new TypeError(`unknown ${what}: ${JSON.stringify(value)}`);
}

/**
 * The message of anything thrown: an `Error`'s message, else the value as a string.
 *
 * @param error what was thrown
 * @returns its message
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * True for an object that is not an array and not null (a JSON object, a config table).
 *
 * @param value anything
 * @returns whether it is a plain object
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Anything thrown, as a {@link CodexError}: a `CodexError` as it is, anything else wrapped (its
 * message kept, the original as `cause`).
 *
 * @param error what was thrown
 * @returns a `CodexError`
 */
export function asCodexError(error: unknown): CodexError {
  return error instanceof CodexError ? error : new CodexError(messageOf(error), { cause: error });
}

/**
 * The known name nearest to `name`, when it is close enough to be a typo (case-insensitive
 * optimal-string-alignment distance at most max(2, a third of its length)).
 *
 * @param name what the caller wrote
 * @param candidates the names known there
 * @returns the nearest candidate, or `undefined`
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** Optimal string alignment distance: edits, with a swap of two neighbours counted as one. */
function distance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
    }
  }
  return d[rows * cols - 1]!;
}
