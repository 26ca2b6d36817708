import type { Observable } from "rxjs";
import type { ConnectionState } from "./ConnectionState.js";

/**
 * A duplex channel of JSON-RPC message texts to one app-server: a child process over stdio or a
 * socket. It frames and unframes, owns the process or socket, and knows nothing of JSON-RPC.
 *
 * Contract:
 * - `messages$` is hot: text is delivered to whoever is subscribed when it arrives, so the
 *   connection subscribes before calling `connect()`.
 * - `messages$` completes when the client closed the transport, and errors with a
 *   `TransportClosedError` (exit code, signal, stderr tail) when the other side went away.
 * - `close()` is idempotent and resolves once the process or socket is really gone.
 * - A transport that reconnects by itself has `connection$`. When its connection drops,
 *   `messages$` goes on (it ends only when the transport gives up or is closed), `connection$`
 *   says `reconnecting`, `send()` throws until it says `open` again, and the layer above must then
 *   start the session again (`initialize`): the new connection knows nothing of the old one.
 */
export interface Transport {
  /** One string per incoming message (one line of stdout, one WebSocket frame), in wire order. */
  readonly messages$: Observable<string>;
  /**
   * Starts the process or opens the socket, once. Rejects with a `CodexError` subclass when it
   * cannot (`TransportAlreadyConnectedError` on a second call).
   */
  connect(): Promise<void>;
  /**
   * Writes one message (without framing; the transport adds it).
   * @throws {TransportClosedError} when the transport is closed
   */
  send(message: string): void;
  /** Ends the process or socket and completes `messages$`; safe to call twice. */
  close(): Promise<void>;
  /** True once the wire is gone, for whatever reason. */
  readonly closed: boolean;
  /**
   * Only on a transport that owns the server's process (stdio): the last lines it wrote to stderr.
   * A socket or stream transport has no stderr to read, so it has no `stderrTail`.
   */
  stderrTail?(): string;
  /**
   * Only on a transport that reconnects: its connection state, the current one replayed to a new
   * subscriber; completes after `closed`.
   */
  readonly connection$?: Observable<ConnectionState>;
}
