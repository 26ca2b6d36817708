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
