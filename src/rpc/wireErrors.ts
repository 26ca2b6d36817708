// The errors the connection makes of a wire that ends, shared by RpcConnection and its request table.
import type { Transport } from "../transport/Transport.js";
import { TransportClosedError } from "../errors/index.js";

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The error of a connection the client closed itself. */
export function closedByClient(transport: Transport): TransportClosedError {
  return new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: transport.stderrTail?.() ?? "" });
}

/** What the wire ended with, as a {@link TransportClosedError}. */
export function toClosedError(error: unknown, transport: Transport): TransportClosedError {
  if (error instanceof TransportClosedError) return error;
  return new TransportClosedError({ reason: errorMessage(error), exitCode: null, signal: null, stderrTail: transport.stderrTail?.() ?? "" }, { cause: error });
}
