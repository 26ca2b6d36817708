import { ReplaySubject } from "rxjs";
import { TransportClosedError } from "../../src/errors/index.js";
import type { ConnectionState } from "../../src/transport/ConnectionState.js";
import { MemoryTransport } from "./MemoryTransport.js";

/** A MemoryTransport that can drop and come back, reporting it on `connection$` like a reconnecting WebSocket. */
export class ReconnectingMemoryTransport extends MemoryTransport {
  private readonly states = new ReplaySubject<ConnectionState>(1);
  readonly connection$ = this.states.asObservable();
  down = false;

  override connect(): Promise<void> {
    this.states.next({ state: "open" });
    return Promise.resolve();
  }
  override send(message: string): void {
    if (this.down) throw new TransportClosedError({ reason: "reconnecting", exitCode: null, signal: null, stderrTail: "" });
    super.send(message);
  }
  /** The connection drops; attempt 1 is being waited for. */
  drop(): void {
    this.down = true;
    this.states.next({ state: "reconnecting", attempt: 1, error: new TransportClosedError({ reason: "socket closed by server", exitCode: 1006, signal: null, stderrTail: "" }) });
  }
  /** A new connection is open (attempt `attempt`). */
  reopen(attempt = 1): void {
    this.down = false;
    this.states.next({ state: "open", attempt });
  }
  /** Gave up: `messages$` errors with `error`. */
  giveUp(error: TransportClosedError): void {
    this.closed = true;
    this.states.next({ state: "closed", error });
    this.states.complete();
    this.subject.error(error);
  }
}
