// The root of every codex-rx error, and the one error every layer may raise (an abort).

/**
 * Root of every error codex-rx throws or emits. Catch this to catch them all.
 *
 * @example
 * ```ts
 * try { await thread.run("hi"); } catch (e) { if (e instanceof CodexError) console.error(e.name, e.message); }
 * ```
 */
export class CodexError extends Error {
  override readonly name: string = "CodexError";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The operation was aborted through an `AbortSignal`. */
export class AbortError extends CodexError {
  override readonly name: string = "AbortError";
  constructor(message = "the operation was aborted", options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * @internal The {@link AbortError} of something a signal aborted, saying why: a signal of
 * `AbortSignal.timeout()` (or any signal aborted with a `TimeoutError`) "timed out", else "was
 * aborted", with the reason's own message when the caller gave one. The reason stays the `cause`.
 *
 * @param what the subject, e.g. `turn 019…` or `the goal on thread 019…`
 * @param reason the signal's `reason`
 * @param when appended after the verb, e.g. `before it started`
 * @returns the error
 */
export function abortErrorOf(what: string, reason: unknown, when?: string): AbortError {
  const verb = isTimeout(reason) ? "timed out" : "was aborted";
  const said = reasonMessage(reason);
  return new AbortError(`${what} ${verb}${when === undefined ? "" : ` ${when}`}${said === undefined ? "" : `: ${said}`}`, { cause: reason });
}

function isTimeout(reason: unknown): boolean {
  return typeof reason === "object" && reason !== null && (reason as { name?: unknown }).name === "TimeoutError";
}

/** A reason's message worth repeating: a timeout's, or one the caller wrote; not the default "This operation was aborted". */
function reasonMessage(reason: unknown): string | undefined {
  if (typeof reason === "string" && reason !== "") return reason;
  // Read by shape, not instanceof: a DOMException or an Error of another realm (a vm, a worker) counts too.
  if (typeof reason !== "object" || reason === null) return undefined;
  const { name, message } = reason as { name?: unknown; message?: unknown };
  return typeof message !== "string" || message === "" || name === "AbortError" ? undefined : message;
}
