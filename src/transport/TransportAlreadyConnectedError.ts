import { CodexError } from "../rpc/errors.js";

/**
 * `connect()` was called a second time on the same transport. A transport connects once; build a
 * new one to connect again (a reconnecting transport redials by itself).
 *
 * @example
 * ```ts
 * try { await transport.connect(); } catch (e) { if (e instanceof TransportAlreadyConnectedError) console.error(e.transport, "is already connected"); }
 * ```
 */
export class TransportAlreadyConnectedError extends CodexError {
  override readonly name: string = "TransportAlreadyConnectedError";
  /** The transport's class name, e.g. `"StdioTransport"`. */
  readonly transport: string;
  /**
   * @param transport the transport's class name
   */
  constructor(transport: string) {
    super(`${transport}.connect() called twice: a transport connects once; create a new one to connect again`);
    this.transport = transport;
  }
}
