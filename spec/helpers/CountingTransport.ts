import type { Transport } from "../../src/transport/Transport.js";

/** A Transport that passes everything through and records the method of every message written. */
export class CountingTransport implements Transport {
  /** The method of each message written, in order (`"(response)"` for answers to server requests). */
  readonly methods: string[] = [];

  constructor(private readonly inner: Transport) {}

  get messages$(): Transport["messages$"] {
    return this.inner.messages$;
  }
  get closed(): boolean {
    return this.inner.closed;
  }
  connect(): Promise<void> {
    return this.inner.connect();
  }
  send(message: string): void {
    const { method } = JSON.parse(message) as { method?: unknown };
    this.methods.push(typeof method === "string" ? method : "(response)");
    this.inner.send(message);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  stderrTail(): string {
    return this.inner.stderrTail?.() ?? "";
  }
  /** How many messages of `method` were written. */
  count(method: string): number {
    return this.methods.filter((m) => m === method).length;
  }
}
