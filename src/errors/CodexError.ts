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
