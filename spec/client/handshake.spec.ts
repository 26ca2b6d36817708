import { defer, firstValueFrom, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { Codex } from "../../src/client/Codex.js";
import { handshake$ } from "../../src/client/handshake.js";
import { retryAfterReconnect } from "../../src/client/retryAfterReconnect.js";
import { ConnectionLostError, ReconnectFailedError, RequestTimeoutError, TransportClosedError } from "../../src/errors/index.js";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import type { ConnectionState } from "../../src/transport/ConnectionState.js";
import { ReconnectingMemoryTransport } from "../helpers/ReconnectingMemoryTransport.js";

const lost = new ConnectionLostError("initialize");
const states: Record<string, ConnectionState> = {
  r: { state: "reconnecting", attempt: 1 },
  o: { state: "open", attempt: 1 },
  p: { state: "open", attempt: 2 },
  c: { state: "closed", error: new ReconnectFailedError(3) },
};
const initialized = { userAgent: "memory/0.171.0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" };
const params = { clientInfo: { name: "t", version: "1" } };

/** Each subscription takes the next of `attempts` (the handshake sent again). */
function attemptsOf<T>(attempts: Observable<T>[]): Observable<T> {
  let i = 0;
  return defer(() => attempts[Math.min(i++, attempts.length - 1)] as Observable<T>);
}

describe("retryAfterReconnect (virtual time)", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("sends again at the transport's next open after a ConnectionLostError, not before", () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const first = cold("--#", undefined, lost);
      const second = cold("--a|");
      const connection$ = hot("-r-----o", states);
      expectObservable(attemptsOf([first, second]).pipe(retryAfterReconnect(connection$))).toBe("---------a|");
      expectSubscriptions(first.subscriptions).toBe("^-!");
      expectSubscriptions(second.subscriptions).toBe("-------^--!");
    });
  });

  it("passes an answer through without looking at connection$, and lets go of it when unsubscribed while waiting", () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const connection$ = hot("-r-----o", states);
      expectObservable(cold("-a|").pipe(retryAfterReconnect(connection$))).toBe("-a|");
      expectObservable(cold("--#", undefined, lost).pipe(retryAfterReconnect(connection$)), "^---!").toBe("-----");
      expectSubscriptions(connection$.subscriptions).toBe("--^-!");
    });
  });

  it("retries once per drop: two drops, two new connections, three sends", () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const connection$ = hot("-r--o-r--p", states);
      const attempts = [cold("--#", undefined, lost), cold("--#", undefined, lost), cold("-a|")];
      expectObservable(attemptsOf(attempts).pipe(retryAfterReconnect(connection$))).toBe("----------a|");
    });
  });

  it("fails with the transport's error when it gives up while the handshake waits", () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const connection$ = hot("-r----c", states);
      expectObservable(cold("--#", undefined, lost).pipe(retryAfterReconnect(connection$))).toBe("------#", undefined, states["c"]?.error);
    });
  });

  it("fails with the drop's error when the states end without a new connection", () => {
    scheduler.run(({ cold, hot, expectObservable }) => {
      const connection$ = hot("-r---|", states);
      expectObservable(cold("--#", undefined, lost).pipe(retryAfterReconnect(connection$))).toBe("-----#", undefined, lost);
    });
  });

  it("passes any other error through at once, and a transport without connection$ is never retried", () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const other = new TransportClosedError({ reason: "exited", exitCode: 1, signal: null, stderrTail: "" });
      const connection$ = hot("-r-----o", states);
      expectObservable(cold("--#", undefined, other).pipe(retryAfterReconnect(connection$))).toBe("--#", undefined, other);
      const source = cold("--#", undefined, lost);
      expectObservable(source.pipe(retryAfterReconnect(undefined))).toBe("--#", undefined, lost);
      expectSubscriptions(source.subscriptions).toBe("^-!");
    });
  });
});

describe("handshake$ over a reconnecting connection (virtual time)", () => {
  let scheduler: TestScheduler;
  beforeEach(() => {
    scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("bounds the whole handshake, the wait for a reconnect included; the timeout's cause is the drop", () => {
    scheduler.run(({ expectObservable }) => {
      const transport = new ReconnectingMemoryTransport();
      void transport.connect();
      const rpc = new RpcConnection(transport, { scheduler });
      scheduler.schedule(() => transport.drop(), 10);
      const errors: unknown[] = [];
      handshake$(rpc, params, 100, scheduler).subscribe({ error: (e: unknown) => errors.push(e) });
      expectObservable(handshake$(rpc, params, 100, scheduler)).toBe("100ms #", undefined, new RequestTimeoutError("initialize", 100));
      scheduler.schedule(() => {
        expect(errors).toHaveLength(1);
        expect((errors[0] as Error).cause).toBeInstanceOf(ConnectionLostError);
      }, 101);
    });
  });

  it("fails with ReconnectFailedError when the transport gives up during the handshake", () => {
    scheduler.run(({ expectObservable }) => {
      const transport = new ReconnectingMemoryTransport();
      void transport.connect();
      const rpc = new RpcConnection(transport, { scheduler });
      const gaveUp = new ReconnectFailedError(3);
      scheduler.schedule(() => transport.drop(), 10);
      scheduler.schedule(() => transport.giveUp(gaveUp), 30);
      expectObservable(handshake$(rpc, params, 100, scheduler)).toBe("30ms #", undefined, gaveUp);
    });
  });
});

describe("Codex.start over a reconnecting transport", () => {
  it("sends initialize again on the next connection when the first one drops before the answer", async () => {
    const transport = new ReconnectingMemoryTransport();
    let sends = 0;
    transport.onSend = (m) => {
      if (m["method"] !== "initialize") return;
      sends += 1;
      if (sends === 1) queueMicrotask(() => {
        transport.drop();
        setTimeout(() => transport.reopen(), 5);
      });
      else queueMicrotask(() => transport.receive({ id: m["id"], result: initialized }));
    };
    const codex = await Codex.start({ transport, authCheck: false });
    expect(sends).toBe(2);
    expect(codex.metadata.userAgent).toBe(initialized.userAgent);
    const methods = (transport.sent as { method?: string }[]).map((m) => m.method);
    expect(methods).toEqual(["initialize", "initialize", "initialized"]);
    expect(await firstValueFrom(codex.connection$)).toEqual({ state: "open" });
    await codex.close();
  });
});
