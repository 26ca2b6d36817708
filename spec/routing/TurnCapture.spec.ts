import { mergeMap, reduce } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import type { ServerRequestEvent } from "../../src/rpc/RpcConnection.js";
import { TurnCapture } from "../../src/routing/TurnCapture.js";
import { delta, turnCompleted, turnStarted } from "../../src/testing/builders.js";

const n = { a: turnStarted("A", "t1"), b: delta("A", "t1", "m1", "one"), c: delta("A", "t1", "m1", "two"), d: turnCompleted("A", "t1") };
const count = (total: number, _: Notification): number => total + 1;
/** A thread nobody follows, as the router's thread table would give it. */
const thread = (threadId: string) => ({ threadId, followers: [] });

describe("TurnCapture", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Pushes the values of `marbles` into `capture` at their frames (`#` ends it with an error). */
  function feed(capture: TurnCapture, marbles: string, cold: TestScheduler["createColdObservable"]): void {
    cold(marbles, n, new Error("gone")).subscribe({ next: (v) => capture.push(v), error: (e: unknown) => capture.end(e) });
  }

  it("replays the turn to every subscriber and ends at turn/completed, pushes after it ignored", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      feed(capture, "-a-b-d-c", cold);
      expectObservable(capture.events$).toBe("-a-b-(d|)", n);
      expectObservable(capture.events$, "------^").toBe("------(abd|)", n);
    });
  });

  it("hands a turn/completed to the end hold instead of delivering it; the holder pushes the end after clearing the hold", () => {
    const held: Notification[] = [];
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      capture.interceptEnd((end) => {
        held.push(end);
        // Later, what the hold waited for, then the end itself.
        cold("--(c|)", n).subscribe((v) => {
          capture.push(v);
          capture.interceptEnd(undefined);
          capture.push(end);
        });
      });
      feed(capture, "-a-b-d", cold);
      expectObservable(capture.events$).toBe("-a-b---(cd|)", n);
      expectObservable(capture.fold(count, 0)).toBe("-------(x|)", { x: 4 });
    });
    expect(held).toEqual([n.d]);
  });

  it("folds as events arrive and gives the final state once, like reduce over events$", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      feed(capture, "-a-b-c-d", cold);
      const folded$ = capture.fold(count, 0);
      expectObservable(folded$).toBe("-------(x|)", { x: 4 });
      expectObservable(capture.events$.pipe(reduce(count, 0))).toBe("-------(x|)", { x: 4 });
      // Subscribed after the end: the same final state.
      expectObservable(cold("---------(k|)").pipe(mergeMap(() => folded$))).toBe("---------(x|)", { x: 4 });
    });
  });

  it("folds what was kept before the fold began, and a fold begun after the end gives the state at once", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      feed(capture, "ab-c-d", cold);
      expectObservable(cold("-(k|)").pipe(mergeMap(() => capture.fold(count, 0)))).toBe("-----(x|)", { x: 4 });
      expectObservable(cold("-------(k|)").pipe(mergeMap(() => capture.fold(count, 10)))).toBe("-------(x|)", { x: 14 });
    });
  });

  it("runs several folds begun at different times side by side, each from the whole turn, each with its own reducer", () => {
    const methods = (seen: string, e: Notification): string => `${seen}${e.method === "item/agentMessage/delta" ? "d" : e.method === "turn/started" ? "s" : "c"}`;
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      feed(capture, "-a-b-c-d", cold);
      expectObservable(cold("--(k|)").pipe(mergeMap(() => capture.fold(count, 0)))).toBe("-------(x|)", { x: 4 });
      expectObservable(cold("----(k|)").pipe(mergeMap(() => capture.fold(methods, "")))).toBe("-------(x|)", { x: "sddc" });
      expectObservable(cold("-----(k|)").pipe(mergeMap(() => capture.fold(count, 100)))).toBe("-------(x|)", { x: 104 });
    });
  });

  it("errors the events and the fold when ended with an error, and completes the server requests", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const capture = new TurnCapture(thread("A"), "t1");
      feed(capture, "-a-b-#", cold);
      expectObservable(capture.events$).toBe("-a-b-#", n, new Error("gone"));
      expectObservable(capture.fold(count, 0)).toBe("-----#", {}, new Error("gone"));
      expectObservable(capture.serverRequests$).toBe("-----|");
    });
  });

  it("replays its server requests and completes them with the turn", () => {
    const capture = new TurnCapture(thread("A"), "t1");
    const event = { request: { id: 1, method: "item/tool/call", params: { threadId: "A", turnId: "t1" } }, response: { result: {} } } as ServerRequestEvent;
    capture.pushRequest(event);
    capture.push(n.d);
    capture.pushRequest(event);
    const seen: ServerRequestEvent[] = [];
    let completed = false;
    capture.serverRequests$.subscribe({ next: (e) => seen.push(e), complete: () => (completed = true) });
    expect(seen).toEqual([event]);
    expect(completed).toBe(true);
  });

  it("tells its owner once that it ended, whatever ended it", () => {
    let ended = 0;
    const capture = new TurnCapture(thread("A"), "t1", () => (ended += 1));
    capture.push(n.a);
    capture.end();
    capture.end(new Error("late"));
    capture.push(n.d);
    expect(ended).toBe(1);
    expect(capture.done).toBe(true);
    expect(capture.size).toBe(1);
  });
});
