import { TestScheduler } from "rxjs/testing";
import { CodexError, TransportClosedError } from "../../src/index.js";
import { TransportAlreadyConnectedError } from "../../src/index.js";
import { TransportBase } from "../../src/transport/TransportBase.js";
import { errorFields } from "../helpers/errorFields.js";

/** A transport whose wire is the test: `line` is a message from the server, `drop` the server going away. */
class Probe extends TransportBase {
  opens = 0;
  shutdowns = 0;
  readonly finishes: (CodexError | undefined)[] = [];
  /** What `messages$` looked like (ended or not) when `onFinish` ran. */
  readonly closedDuringFinish: boolean[] = [];

  /** What reached `write()`: only what `send()` let through. */
  readonly written: string[] = [];

  protected write(message: string): void {
    this.written.push(message);
  }
  protected goneReason(): string {
    return "probe gone";
  }
  line(message: string): void {
    this.emit(message);
  }
  drop(error: CodexError): void {
    this.finish(error);
  }
  protected open(): Promise<void> {
    this.opens++;
    return Promise.resolve();
  }
  protected shutdown(): Promise<void> {
    this.shutdowns++;
    this.finish();
    return Promise.resolve();
  }
  protected override onFinish(failure: CodexError | undefined): void {
    this.finishes.push(failure);
    this.closedDuringFinish.push(this.closed);
  }
}

/** A probe that owns a process, so its closing errors carry the stderr tail. */
class ProcessProbe extends Probe {
  override stderrTail(): string {
    return "fatal: out of cheese";
  }
}

const gone = new TransportClosedError({ reason: "process exited", exitCode: 1, signal: null, stderrTail: "" });

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(errorFields(actual)).toEqual(errorFields(expected)));
});

describe("TransportBase lifecycle (virtual time)", () => {
  it("delivers messages in wire order and errors once with the closing error when the other side goes away", () => {
    const probe = new Probe();
    scheduler.run(({ cold, expectObservable }) => {
      // x: the server goes away; y: it is reported a second time (ignored); c: a message after the end (dropped).
      cold("-a-b-x-y-c").subscribe((step) => (step === "x" || step === "y" ? probe.drop(gone) : probe.line(step)));
      expectObservable(probe.messages$).toBe("-a-b-#", undefined, gone);
    });
    expect(probe.finishes).toEqual([gone]);
    expect(probe.closed).toBe(true);
  });

  it("completes, not errors, when the client closed it, even if a drop is reported afterwards", () => {
    const probe = new Probe();
    scheduler.run(({ cold, expectObservable }) => {
      cold("-a-c-x-b").subscribe((step) => (step === "c" ? void probe.close() : step === "x" ? probe.drop(gone) : probe.line(step)));
      expectObservable(probe.messages$).toBe("-a-|");
    });
    expect(probe.finishes).toEqual([undefined]);
  });

  it("completes when a drop is reported while closing (the close was asked for first)", () => {
    // A subclass whose shutdown waits for the process: the exit it then sees is the one it asked for.
    class Slow extends Probe {
      protected override shutdown(): Promise<void> {
        this.shutdowns++;
        return Promise.resolve();
      }
    }
    const probe = new Slow();
    scheduler.run(({ cold, expectObservable }) => {
      cold("-a-c-x").subscribe((step) => (step === "c" ? void probe.close() : step === "x" ? probe.drop(gone) : probe.line(step)));
      expectObservable(probe.messages$).toBe("-a---|");
    });
    expect(probe.finishes).toEqual([undefined]);
  });

  it("runs onFinish once, before messages$ ends, with the failure", () => {
    const probe = new Probe();
    let endedFirst: boolean | undefined;
    probe.messages$.subscribe({ error: () => (endedFirst ??= probe.finishes.length === 0) });
    probe.drop(gone);
    probe.drop(gone);
    expect(endedFirst).toBe(false);
    expect(probe.finishes).toEqual([gone]);
    expect(probe.closedDuringFinish).toEqual([true]);
  });
});

describe("TransportBase connect and close", () => {
  it("connects once: a second connect() rejects with TransportAlreadyConnectedError naming the class", async () => {
    const probe = new Probe();
    await probe.connect();
    const error = await probe.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportAlreadyConnectedError);
    expect(error).toBeInstanceOf(CodexError);
    expect((error as TransportAlreadyConnectedError).transport).toBe("Probe");
    expect((error as Error).message).toMatch(/^Probe\.connect\(\) called twice/);
    expect(probe.opens).toBe(1);
  });

  it("close() is idempotent: one shutdown, the same promise every time", async () => {
    const probe = new Probe();
    await probe.connect();
    const first = probe.close();
    expect(probe.close()).toBe(first);
    await first;
    await probe.close();
    expect(probe.shutdowns).toBe(1);
    expect(probe.closed).toBe(true);
  });

  it("rejects connect() after close() with TransportClosedError and never opens", async () => {
    const probe = new Probe();
    await probe.close();
    const error = await probe.connect().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportClosedError);
    expect((error as TransportClosedError).reason).toBe("closed by client");
    expect(probe.opens).toBe(0);
  });

  it("sends only while connected: before connect(), after close() and once the wire is gone it throws TransportClosedError without reaching write()", async () => {
    const reasonOf = (probe: Probe): unknown => {
      try {
        probe.send("{}");
      } catch (error) {
        expect(error).toBeInstanceOf(TransportClosedError);
        return (error as TransportClosedError).reason;
      }
      return "sent";
    };
    const closedFirst = new Probe();
    expect(reasonOf(closedFirst)).toBe("not connected");
    void closedFirst.close();
    expect(reasonOf(closedFirst)).toBe("closed by client");
    expect(closedFirst.written).toEqual([]);

    const open = new Probe();
    await open.connect();
    expect(reasonOf(open)).toBe("sent");
    expect(open.written).toEqual(["{}"]);
    open.drop(gone);
    expect(reasonOf(open)).toBe("probe gone");
    await open.close();
    expect(reasonOf(open)).toBe("closed by client");
    expect(open.written).toEqual(["{}"]);
  });

  it("puts the stderr tail into its closing errors only when the transport has one", () => {
    expect(new Probe().stderrTail).toBeUndefined();
    const probe = new ProcessProbe();
    void probe.close();
    let error: unknown;
    try {
      probe.send("{}");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TransportClosedError);
    expect((error as TransportClosedError).stderrTail).toBe("fatal: out of cheese");
  });
});
