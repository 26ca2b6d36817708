// The one builder of a TransportClosedError, for the transports, the connection above them and the testing kit.
import { TransportClosedError, type TransportCloseInfo } from "../errors/index.js";
import type { Transport } from "./Transport.js";

/** The exit code (or WebSocket close code) and signal a transport ended with; null each when unknown. */
export type ExitStatus = Pick<TransportCloseInfo, "exitCode" | "signal">;

/** No exit status known. */
export const noExitStatus: ExitStatus = Object.freeze({ exitCode: null, signal: null });

/**
 * A {@link TransportClosedError} of `from`: its stderr tail (empty when it has none), `reason`,
 * `status` and `options.cause`.
 *
 * @param from the transport (its `stderrTail()`, if it has one) or the stderr tail itself
 * @param reason why it closed: `"closed by client"`, `"process exited"`, …
 * @param status exit code (or close code) and signal, when known; default none
 * @param options the underlying error, as for `new Error`: without `cause`, the error has none
 * @returns the error, not thrown
 */
export function transportClosedError(
  from: Transport | string,
  reason: string,
  status: ExitStatus = noExitStatus,
  options?: { readonly cause?: unknown },
): TransportClosedError {
  const stderrTail = typeof from === "string" ? from : (from.stderrTail?.() ?? "");
  return new TransportClosedError({ reason, exitCode: status.exitCode, signal: status.signal, stderrTail }, options);
}
