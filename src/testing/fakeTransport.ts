import { Subject, type Observable } from "rxjs";
import { transportClosedError } from "../transport/closedError.js";
import type { Transport } from "../transport/Transport.js";

/**
 * The client's end of the in-memory fake app-server: a {@link Transport} whose other side is a
 * function, not a process. What the client sends goes to `onMessage`; `deliver` puts a line on
 * `messages$`.
 */
export class FakeTransport implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$: Observable<string> = this.subject.asObservable();
  private state: "new" | "open" | "closed" = "new";

  constructor(
    private readonly onMessage: (text: string) => void,
    /** The client closed its end: the server stops its turns (no timers left behind). */
    private readonly onClose: () => void,
  ) {}

  get closed(): boolean {
    return this.state === "closed";
  }

  connect(): Promise<void> {
    if (this.state === "closed") return Promise.reject(transportClosedError(this, "closed by client"));
    this.state = "open";
    return Promise.resolve();
  }

  send(message: string): void {
    if (this.state === "closed") throw transportClosedError(this, "closed by client");
    this.onMessage(message);
  }

  close(): Promise<void> {
    if (this.state !== "closed") {
      this.state = "closed";
      this.onClose();
      this.subject.complete();
    }
    return Promise.resolve();
  }

  /** The server writes one message. Dropped once the transport is closed (nobody reads any more). */
  deliver(text: string): void {
    if (this.state !== "closed") this.subject.next(text);
  }

  /** The server goes away: `messages$` errors with a {@link TransportClosedError}. */
  die(exitCode: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === "closed") return;
    this.state = "closed";
    this.subject.error(transportClosedError(this, "the fake app-server exited", { exitCode, signal }));
  }
}
