import type { Readable, Writable } from "node:stream";
import { Subject, type Observable } from "rxjs";
import { TransportClosedError } from "../errors/index.js";
import { LineFramer } from "./LineFramer.js";
import type { Transport } from "./Transport.js";

/**
 * Newline-delimited JSON over any pair of Node streams: pipes of an app-server child you spawn
 * yourself (`codex app-server` on stdio), an in-memory duplex in tests, or a socket to a relay
 * that speaks NDJSON. It frames and unframes only; it owns nothing but the streams it was given.
 * (`codex app-server --listen unix://PATH` speaks WebSocket over the socket, not NDJSON: use
 * `unixSocketTransport(path)` for it.)
 *
 * `messages$` completes after `close()`, and errors with {@link TransportClosedError} when the
 * input ends or fails first.
 *
 * @example
 * ```ts
 * import { spawn } from "node:child_process";
 * const child = spawn("codex", ["app-server"], { stdio: ["pipe", "pipe", "inherit"] });
 * const codex = await Codex.start({ transport: new StreamTransport(child.stdout, child.stdin) });
 * ```
 */
export class StreamTransport implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$: Observable<string> = this.subject.asObservable();
  private ended = false;
  private closing = false;
  private connected = false;

  /**
   * @param input where the server's lines come from
   * @param output where ours go
   */
  constructor(
    private readonly input: Readable,
    private readonly output: Writable,
  ) {}

  get closed(): boolean {
    return this.ended;
  }

  stderrTail(): string {
    return "";
  }

  connect(): Promise<void> {
    if (this.connected) return Promise.reject(new Error("StreamTransport.connect() called twice"));
    this.connected = true;
    const framer = new LineFramer();
    const onLine = (line: string): void => this.subject.next(line);
    this.input.on("data", (chunk: Buffer | string) => framer.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk, onLine));
    this.input.once("end", () => {
      framer.end(onLine);
      this.finish("stream ended");
    });
    this.input.once("error", (error: Error) => this.finish(`stream failed: ${error.message}`, error));
    this.output.on("error", (error: Error) => this.finish(`stream failed: ${error.message}`, error));
    return Promise.resolve();
  }

  send(message: string): void {
    if (this.ended || this.closing || !this.output.writable) {
      throw new TransportClosedError({ reason: this.closing ? "closed by client" : "stream ended", exitCode: null, signal: null, stderrTail: "" });
    }
    this.output.write(message + "\n");
  }

  close(): Promise<void> {
    if (!this.ended) {
      this.closing = true;
      this.output.end();
      this.finish("closed by client");
    }
    return Promise.resolve();
  }

  private finish(reason: string, cause?: Error): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closing) this.subject.complete();
    else this.subject.error(new TransportClosedError({ reason, exitCode: null, signal: null, stderrTail: "" }, cause ? { cause } : undefined));
  }
}
