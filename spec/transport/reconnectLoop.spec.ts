import { defer, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ReconnectFailedError } from "../../src/index.js";
import { backoffDelay, reconnectLoop, type ReconnectStep } from "../../src/advanced.js";
import { errorFields } from "../helpers/errorFields.js";

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(errorFields(actual)).toEqual(errorFields(expected)));
});

const noJitter = (): number => 0.5;
const options = { initialDelayMs: 2, maxDelayMs: 8, maxAttempts: 3 };
const dropped = new Error("socket closed by server");
const refused = new Error("ECONNREFUSED");

/** The n-th dial is `attempts[n - 1]`. */
function dials<T>(attempts: readonly Observable<T>[]): (attempt: number) => Observable<T> {
  return (attempt) => defer(() => attempts[attempt - 1] as Observable<T>);
}

function waiting(attempt: number, delayMs: number, error: unknown): ReconnectStep<string> {
  return { type: "waiting", attempt, delayMs, error };
}

describe("reconnectLoop (virtual time)", () => {
  it("waits 2 then 4 frames, and opens with the first dial that connects", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const first = cold("#", undefined, refused);
      const second = cold("-a|");
      const expected = "w-x----(o|)";
      const values = { w: waiting(1, 2, dropped), x: waiting(2, 4, refused), o: { type: "open", attempt: 2, value: "a" } };
      expectObservable(reconnectLoop(dials([first, second]), dropped, options, scheduler, noJitter)).toBe(expected, values);
      expectSubscriptions(first.subscriptions).toBe("--(^!)");
      expectSubscriptions(second.subscriptions).toBe("------^!");
    });
  });

  it("gives up after maxAttempts with ReconnectFailedError carrying the last error; the delays double up to the cap", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const fail = cold("#", undefined, refused);
      const expected = "w-x---y-------#";
      const values = { w: waiting(1, 2, dropped), x: waiting(2, 4, refused), y: waiting(3, 8, refused) };
      expectObservable(reconnectLoop(dials([fail, fail, fail]), dropped, options, scheduler, noJitter)).toBe(
        expected,
        values,
        new ReconnectFailedError(3, { cause: refused }),
      );
    });
  });

  it("gives up at once on an error `fatal` says no retry can fix", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const unauthorized = cold("-#", undefined, refused);
      expectObservable(reconnectLoop(dials([unauthorized]), dropped, options, scheduler, noJitter, () => true)).toBe(
        "w--#",
        { w: waiting(1, 2, dropped) },
        new ReconnectFailedError(1, { cause: refused }),
      );
    });
  });

  it("counts a dial that completes without a connection as a failed attempt", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const empty = cold("|");
      const ok = cold("a");
      const values = { w: waiting(1, 2, dropped), x: waiting(2, 4, new Error("the connection attempt ended without a connection")), o: { type: "open", attempt: 2, value: "a" } };
      expectObservable(reconnectLoop(dials([empty, ok]), dropped, options, scheduler, noJitter)).toBe("w-x---(o|)", values);
    });
  });

  it("gives up when the last dial completes without a connection, and does not ask `fatal` about one", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const empty = cold("|");
      const ended = new Error("the connection attempt ended without a connection");
      const values = { w: waiting(1, 2, dropped), x: waiting(2, 4, ended) };
      expectObservable(reconnectLoop(dials([empty, empty, empty]), dropped, { ...options, maxAttempts: 2 }, scheduler, noJitter, () => true)).toBe(
        "w-x---#",
        values,
        new ReconnectFailedError(2, { cause: ended }),
      );
    });
  });

  it("gives up on a fatal error of the last attempt with that error as the cause", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const fail = cold("#", undefined, refused);
      const unauthorized = new Error("401");
      const last = cold("-#", undefined, unauthorized);
      const values = { w: waiting(1, 2, dropped), x: waiting(2, 4, refused) };
      expectObservable(reconnectLoop(dials([fail, last]), dropped, { ...options, maxAttempts: 2 }, scheduler, noJitter, (e) => e === unauthorized)).toBe(
        "w-x----#",
        values,
        new ReconnectFailedError(2, { cause: unauthorized }),
      );
    });
  });

  it("stops the wait or the dial in flight when unsubscribed", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold("------a");
      const subs = "^---!";
      expectObservable(reconnectLoop(dials([slow]), dropped, options, scheduler, noJitter), subs).toBe("w----", { w: waiting(1, 2, dropped) });
      expectSubscriptions(slow.subscriptions).toBe("--^-!");
    });
  });

  it("errors at once with maxAttempts 0, and never dials", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const never = cold("-");
      expectObservable(reconnectLoop(dials([never]), dropped, { maxAttempts: 0 }, scheduler)).toBe("#", undefined, new ReconnectFailedError(0, { cause: dropped }));
      expectSubscriptions(never.subscriptions).toBe([]);
    });
  });

  it("spreads each delay by the jitter of backoffDelay", () => {
    const low = (): number => 0;
    const steps: ReconnectStep<string>[] = [];
    scheduler.run(({ cold }) => {
      const fail = cold("#", undefined, refused);
      reconnectLoop(dials([fail, fail, fail]), dropped, { initialDelayMs: 100, maxDelayMs: 1000, maxAttempts: 3 }, scheduler, low).subscribe({
        next: (s) => steps.push(s),
        error: () => undefined,
      });
    });
    const jittered = { initialDelayMs: 100, maxDelayMs: 1000, jitterRatio: 0.2 };
    expect(steps.map((s) => (s.type === "waiting" ? s.delayMs : -1))).toEqual([1, 2, 3].map((n) => backoffDelay(n, jittered, low)));
    expect(steps.map((s) => (s.type === "waiting" ? s.delayMs : -1))).toEqual([80, 160, 320]);
  });
});
