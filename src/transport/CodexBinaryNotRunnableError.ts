import { TransportClosedError, type TransportCloseInfo } from "../rpc/errors.js";
import { explainingLines } from "../rpc/stderrSummary.js";

/**
 * The `codex` binary exists but cannot be run: it is not executable (EACCES), it is a directory,
 * or the system cannot execute it (wrong format or architecture: it exits 126/127 before writing a
 * line). A {@link TransportClosedError}, since no server ever answered.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof CodexBinaryNotRunnableError) console.error(e.path, e.message); }
 * ```
 */
export class CodexBinaryNotRunnableError extends TransportClosedError {
  override readonly name: string = "CodexBinaryNotRunnableError";
  /** The file that was found but could not be run. */
  readonly path: string;
  constructor(path: string, why: string, info: TransportCloseInfo, options?: { cause?: unknown }) {
    super(info, options);
    this.path = path;
    const said = explainingLines(info.stderrTail) || info.stderrTail.trim().split("\n").pop() || "";
    this.message =
      `The codex binary at ${path} exists but cannot be run: ${why}${said ? ` (${said})` : ""}. ` +
      "Pass codexPath (or set CODEX_BIN) to a working codex binary, or reinstall the pinned @openai/codex.";
  }
}
