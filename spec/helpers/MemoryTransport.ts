import { Subject } from "rxjs";
import { TransportClosedError } from "../../src/errors/index.js";
import type { Transport } from "../../src/transport/Transport.js";

/** An in-memory Transport: the test plays the server, reading `sent` and calling `receive`. */
export class MemoryTransport implements Transport {
  protected readonly subject = new Subject<string>();
  readonly messages$ = this.subject.asObservable();
  readonly sent: unknown[] = [];
  closed = false;
  /** Called for every message the client sends, after it is recorded. */
  onSend: (message: Record<string, unknown>) => void = () => undefined;

  connect(): Promise<void> {
    return Promise.resolve();
  }
  send(message: string): void {
    if (this.closed) throw new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: "" });
    const parsed = JSON.parse(message) as Record<string, unknown>;
    this.sent.push(parsed);
    this.onSend(parsed);
  }
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.subject.complete();
    }
    return Promise.resolve();
  }
  stderrTail(): string {
    return "fatal: out of cheese";
  }
  /** The server writes one line. */
  receive(line: string | object): void {
    this.subject.next(typeof line === "string" ? line : JSON.stringify(line));
  }
  /** The server process dies. */
  die(exitCode: number | null, signal: NodeJS.Signals | null = null): void {
    this.closed = true;
    this.subject.error(new TransportClosedError({ reason: "process exited", exitCode, signal, stderrTail: this.stderrTail() }));
  }
}
