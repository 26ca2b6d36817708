// The errors the connection makes of a wire that ends, shared by RpcConnection and its request table.
import type { Transport } from "../transport/Transport.js";
import { noExitStatus, transportClosedError } from "../transport/closedError.js";
import { messageOf, TransportClosedError } from "../errors/index.js";

/** The error of a connection the client closed itself. */
export function closedByClient(transport: Transport): TransportClosedError {
  return transportClosedError(transport, "closed by client");
}

/** What the wire ended with, as a {@link TransportClosedError}. */
export function toClosedError(error: unknown, transport: Transport): TransportClosedError {
  if (error instanceof TransportClosedError) return error;
  return transportClosedError(transport, messageOf(error), noExitStatus, { cause: error });
}
