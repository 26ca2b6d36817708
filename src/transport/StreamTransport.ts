import type { Readable, Writable } from "node:stream";
import { LineFramer } from "./LineFramer.js";
import { TransportBase } from "./TransportBase.js";

/**
 * Newline-delimited JSON over any pair of Node streams: pipes of an app-server child you spawn
 * yourself (`codex app-server` on stdio), an in-memory duplex in tests, or a socket to a relay
 * that speaks NDJSON. It frames and unframes only; it owns nothing but the streams it was given.
 * (`codex app-server --listen unix://PATH` speaks WebSocket over the socket, not NDJSON: use
 * `unixSocketTransport(path)` for it.)
 *
 * `messages$` completes after `close()`, and errors with `TransportClosedError` when the
 * input ends or fails first. Like every transport, `send()` before `connect()` throws
 * `TransportClosedError` (reason `"not connected"`), although the streams exist already: one rule
 * for all transports, and no message is written that nobody listens for the answer to.
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * const child = spawn("codex", ["app-server"], { stdio: ["pipe", "pipe", "inherit"] });
 * const codex = await Codex.start({ transport: new StreamTransport(child.stdout, child.stdin) });
 * ```
 */
export class StreamTransport extends TransportBase {
  /**
   * @param input where the server's lines come from
   * @param output where ours go
   */
  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {
    super();
  }

  /**
   * Writes one message and a newline.
   *
   * @param message one JSON-RPC message, without framing
   * @throws {TransportClosedError} when the output ended
   */
  protected write(message: string): void {
    if (!this.output.writable) throw this.closedError(this.goneReason());
    this.output.write(message + "\n");
  }

  /** `"stream ended"`. */
  protected goneReason(): string {
    return "stream ended";
  }

  protected open(): Promise<void> {
    const framer = new LineFramer();
    const onLine = (line: string): void => this.emit(line);
    this.input.on("data", (chunk: Buffer | string) => framer.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, onLine));
    this.input.once("end", () => {
      framer.end(onLine);
      this.finish(this.closedError("stream ended"));
    });
    this.input.once("error", (error: Error) => this.finish(this.closedError(`stream failed: ${error.message}`, undefined, error)));
    this.output.on("error", (error: Error) => this.finish(this.closedError(`stream failed: ${error.message}`, undefined, error)));
    return Promise.resolve();
  }

  protected shutdown(): Promise<void> {
    if (!this.closed) {
      this.output.end();
      this.finish();
    }
    return Promise.resolve();
  }
}
