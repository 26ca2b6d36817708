import { defer, mergeMap, of, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { retryOnOverload, type RetryEvent } from "../../src/rpc/retryOnOverload.js";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import {
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  RequestTimeoutError,
  RetryLimitExceededError,
  ServerBusyError,
} from "../../src/errors/index.js";
import { errorFields } from "../helpers/errorFields.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

const busy = new ServerBusyError({ code: -32001, message: "Server overloaded; retry later." }, { method: "model/list" });
const noJitter = () => 0.5;
const gaveUp = (attempts: number, reason: "attempts" | "deadline", cause: unknown = busy) => new RetryLimitExceededError(attempts, { cause, reason });

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(errorFields(actual)).toEqual(errorFields(expected)));
});

/** A source whose n-th subscription is `attempts[n]`: one cold Observable per attempt. */
function perAttempt<T>(attempts: readonly Observable<T>[]): Observable<T> {
  let n = 0;
  return defer(() => attempts[n++] as Observable<T>);
}

describe("retryOnOverload", () => {
  describe("the backoff schedule (virtual time)", () => {
    it("waits 250 ms then 500 ms between attempts, then gives up with RetryLimitExceededError", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("--#", undefined, busy);
        const subs = ["^-!", "252ms ^-!", "754ms ^-!"];
        const expected = "756ms #";
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: noJitter }))).toBe(expected, undefined, gaveUp(3, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("doubles up to maxDelayMs and stays there: 250, 500, 1000, 2000, 2000", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, busy);
        const subs = ["(^!)", "250ms (^!)", "750ms (^!)", "1750ms (^!)", "3750ms (^!)", "5750ms (^!)"];
        const expected = "5750ms #";
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: noJitter, maxAttempts: 6 }))).toBe(expected, undefined, gaveUp(6, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("honours initialDelayMs and maxDelayMs", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, busy);
        const subs = ["(^!)", "100ms (^!)", "300ms (^!)", "600ms (^!)"];
        const expected = "600ms #";
        const retried = source.pipe(retryOnOverload({ scheduler, random: noJitter, maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 300 }));
        expectObservable(retried).toBe(expected, undefined, gaveUp(4, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("jitters each delay by at most ±20 %: random() = 0 waits 200 then 400 ms", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, busy);
        const subs = ["(^!)", "200ms (^!)", "600ms (^!)"];
        const expected = "600ms #";
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: () => 0 }))).toBe(expected, undefined, gaveUp(3, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("jitters upwards too: random() = 0.75 waits 275 then 550 ms", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, busy);
        const subs = ["(^!)", "275ms (^!)", "825ms (^!)"];
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: () => 0.75 }))).toBe("825ms #", undefined, gaveUp(3, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("tells onRetry about each wait before it starts", () => {
      const events: RetryEvent[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-#", undefined, busy);
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: noJitter, onRetry: (e) => events.push(e) }))).toBe(
          "753ms #",
          undefined,
          gaveUp(3, "attempts"),
        );
        expectSubscriptions(source.subscriptions).toBe(["^!", "251ms ^!", "752ms ^!"]);
      });
      expect(events).toEqual([
        { attempt: 1, delayMs: 250, error: busy },
        { attempt: 2, delayMs: 500, error: busy },
      ]);
    });
  });

  describe("what is retried", () => {
    it("mirrors the first attempt that succeeds", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold(" --#", undefined, busy);
        const second = cold("-#", undefined, busy);
        const third = cold(" --(a|)");
        const expected = "     755ms (a|)";
        expectObservable(perAttempt([first, second, third]).pipe(retryOnOverload({ scheduler, random: noJitter }))).toBe(expected);
        expectSubscriptions(first.subscriptions).toBe("^-!");
        expectSubscriptions(second.subscriptions).toBe("252ms ^!");
        expectSubscriptions(third.subscriptions).toBe("753ms ^-!");
      });
    });

    it("does not retry a source that succeeds at once", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-a-b|");
        expectObservable(source.pipe(retryOnOverload({ scheduler }))).toBe("-a-b|");
        expectSubscriptions(source.subscriptions).toBe("^---!");
      });
    });

    it.each([
      ["InvalidParamsError", new InvalidParamsError({ code: -32602, message: "bad params" })],
      ["MethodNotFoundError", new MethodNotFoundError({ code: -32601, message: "no such method" })],
      ["a plain JsonRpcError", new JsonRpcError({ code: -32042, message: "busy-ish but no overload hint" })],
      ["RequestTimeoutError", new RequestTimeoutError("model/list", 50)],
      ["a foreign Error", new TypeError("boom")],
    ])("passes %s through at once, untouched", (_name, error) => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("--#", undefined, error);
        expectObservable(source.pipe(retryOnOverload({ scheduler }))).toBe("--#", undefined, error);
        expectSubscriptions(source.subscriptions).toBe("^-!");
      });
    });

    it("passes a non-busy error of a later attempt through untouched", () => {
      const invalid = new InvalidParamsError({ code: -32602, message: "bad params" });
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold(" -#", undefined, busy);
        const second = cold("-#", undefined, invalid);
        expectObservable(perAttempt([first, second]).pipe(retryOnOverload({ scheduler, random: noJitter }))).toBe("252ms #", undefined, invalid);
        expectSubscriptions(first.subscriptions).toBe("^!");
        expectSubscriptions(second.subscriptions).toBe("251ms ^!");
      });
    });

    it("retries -32000…-32099 errors whose data says server_overloaded", () => {
      const hinted = JsonRpcError.from({ code: -32050, message: "queue full", data: { reason: "server_overloaded" } });
      expect(hinted).toBeInstanceOf(ServerBusyError);
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, hinted);
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: noJitter, maxAttempts: 2 }))).toBe("250ms #", undefined, gaveUp(2, "attempts", hinted));
        expectSubscriptions(source.subscriptions).toBe(["(^!)", "250ms (^!)"]);
      });
    });

    it("with maxAttempts 1 never retries, but still types the give-up", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-#", undefined, busy);
        expectObservable(source.pipe(retryOnOverload({ scheduler, maxAttempts: 1 }))).toBe("-#", undefined, gaveUp(1, "attempts"));
        expectSubscriptions(source.subscriptions).toBe("^!");
      });
    });

    it("resubscribes a real RpcConnection request$: every attempt is a new request", () => {
      const transport = new MemoryTransport();
      const rpc = new RpcConnection(transport);
      transport.onSend = (m) => {
        const id = m["id"] as number;
        transport.receive(id < 3 ? { id, error: { code: -32001, message: "Server overloaded; retry later." } } : { id, result: { data: [] } });
      };
      scheduler.run(({ expectObservable }) => {
        const models$ = rpc.request$("model/list", {}).pipe(retryOnOverload({ scheduler, random: noJitter }));
        expectObservable(models$).toBe("750ms (r|)", { r: { data: [] } });
      });
      expect(transport.sent).toEqual([1, 2, 3].map((id) => ({ id, method: "model/list", params: {} })));
    });
  });

  describe("the deadline", () => {
    it("gives up at timeoutMs across attempts and waits, with reason deadline and the last busy error", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-#", undefined, busy);
        const subs = ["^!", "251ms ^!", "752ms ^!"];
        const expected = "1000ms #";
        const retried = source.pipe(retryOnOverload({ scheduler, random: noJitter, maxAttempts: 10, timeoutMs: 1000 }));
        expectObservable(retried).toBe(expected, undefined, gaveUp(3, "deadline"));
        expectSubscriptions(source.subscriptions).toBe(subs);
      });
    });

    it("unsubscribes an attempt still running at the deadline (default 300 s)", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold(" -#", undefined, busy);
        const second = cold("-");
        const expected = "300000ms #";
        expectObservable(perAttempt([first, second]).pipe(retryOnOverload({ scheduler, random: noJitter }))).toBe(expected, undefined, gaveUp(2, "deadline"));
        expectSubscriptions(first.subscriptions).toBe("^!");
        expectSubscriptions(second.subscriptions).toBe("251ms ^ 299748ms !");
      });
    });

    it("has no cause when the deadline passes before any attempt failed", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-");
        expectObservable(source.pipe(retryOnOverload({ scheduler, timeoutMs: 50 }))).toBe("50ms #", undefined, new RetryLimitExceededError(1, { reason: "deadline" }));
        expectSubscriptions(source.subscriptions).toBe("^ 49ms !");
      });
    });

    it("stops counting at the first value", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("10ms a 100ms b|");
        expectObservable(source.pipe(retryOnOverload({ scheduler, timeoutMs: 50 }))).toBe("10ms a 100ms b|");
        expectSubscriptions(source.subscriptions).toBe("^ 111ms !");
      });
    });

    it("with timeoutMs Infinity waits forever for a never-ending source", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-");
        expectObservable(source.pipe(retryOnOverload({ scheduler, timeoutMs: Infinity }))).toBe("-");
        expectSubscriptions(source.subscriptions).toBe("^");
      });
    });
  });

  describe("edge cases", () => {
    it("completes with an empty source", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("|");
        expectObservable(source.pipe(retryOnOverload({ scheduler }))).toBe("|");
        expectSubscriptions(source.subscriptions).toBe("(^!)");
      });
    });

    it("cancels the backoff timer when unsubscribed mid-wait: no new attempt", () => {
      const retries: RetryEvent[] = [];
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("--#", undefined, busy);
        const unsub = "      100ms !";
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: noJitter, onRetry: (e) => retries.push(e) })), unsub).toBe("-");
        expectSubscriptions(source.subscriptions).toBe("^-!");
      });
      // The wait had begun (onRetry ran once), yet attempt 2 never started, and no timer is left.
      expect(retries).toHaveLength(1);
      expect(scheduler.actions).toHaveLength(0);
    });

    it("unsubscribes the running attempt when unsubscribed mid-attempt", () => {
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const first = cold(" -#", undefined, busy);
        const second = cold("-----a|");
        const unsub = "      253ms !";
        expectObservable(perAttempt([first, second]).pipe(retryOnOverload({ scheduler, random: noJitter })), unsub).toBe("-");
        expectSubscriptions(first.subscriptions).toBe("^!");
        expectSubscriptions(second.subscriptions).toBe("251ms ^-!");
      });
      expect(scheduler.actions).toHaveLength(0);
    });

    it("keeps the unsubscription chain unbroken", () => {
      scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot("--a--b--c--|");
        const sourceSubs = "^------!";
        const expected = "  --a--b--";
        const unsub = "     -------!";
        const result = source.pipe(
          mergeMap((x) => of(x)),
          retryOnOverload({ scheduler }),
          mergeMap((x) => of(x)),
        );
        expectObservable(result, unsub).toBe(expected);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("counts attempts per subscription, not per operator", () => {
      const operator = retryOnOverload<string>({ scheduler, random: noJitter, maxAttempts: 2 });
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("#", undefined, busy);
        expectObservable(source.pipe(operator)).toBe("250ms #", undefined, gaveUp(2, "attempts"));
        expectObservable(source.pipe(operator)).toBe("250ms #", undefined, gaveUp(2, "attempts"));
        expectSubscriptions(source.subscriptions).toBe(["(^!)", "(^!)", "250ms (^!)", "250ms (^!)"]);
      });
    });

    it("surfaces a throwing random() or onRetry as the error", () => {
      const oops = new Error("random broke");
      scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold("-#", undefined, busy);
        const throwing = () => {
          throw oops;
        };
        expectObservable(source.pipe(retryOnOverload({ scheduler, random: throwing }))).toBe("-#", undefined, oops);
        expectObservable(source.pipe(retryOnOverload({ scheduler, onRetry: throwing }))).toBe("-#", undefined, oops);
        expectSubscriptions(source.subscriptions).toBe(["^!", "^!"]);
      });
    });

    it.each([
      [{ maxAttempts: 0 }, /maxAttempts/],
      [{ maxAttempts: 1.5 }, /maxAttempts/],
      [{ timeoutMs: 0 }, /timeoutMs/],
      [{ timeoutMs: Number.NaN }, /timeoutMs/],
      [{ initialDelayMs: -1 }, /initialDelayMs/],
      [{ maxDelayMs: Infinity }, /maxDelayMs/],
      [{ jitterRatio: -0.1 }, /jitterRatio/],
    ])("rejects %o with a RangeError", (options, message) => {
      expect(() => retryOnOverload(options)).toThrow(RangeError);
      expect(() => retryOnOverload(options)).toThrow(message);
    });
  });
});
