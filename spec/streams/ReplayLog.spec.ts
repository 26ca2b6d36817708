import { take, type Subscription } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ReplayLog } from "../../src/streams/ReplayLog.js";

describe("ReplayLog", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Pushes the values of `marbles` into `log` at their frames (`|` completes it, `#` errors it). */
  function feed(log: ReplayLog<string>, marbles: string, cold: TestScheduler["createColdObservable"]): Subscription {
    return cold(marbles).subscribe({ next: (v) => log.push(v), complete: () => log.complete(), error: (e: unknown) => log.error(e) });
  }

  it("replays every value to a late subscriber, then the live ones, then completes", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new ReplayLog<string>();
      feed(log, "           -a-b----c-|", cold);
      expectObservable(log.values$, "----^     ").toBe("----(ab)c-|");
    });
  });

  it("gives a subscriber after the end the whole log and the end", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new ReplayLog<string>();
      feed(log, "-a-b|", cold);
      expectObservable(log.values$, "------^").toBe("------(ab|)");
    });
  });

  it("replays, then errors, when it ended with an error", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new ReplayLog<string>();
      feed(log, "-a-#", cold);
      expectObservable(log.values$).toBe("-a-#");
      expectObservable(log.values$, "-----^").toBe("-----(a#)");
    });
  });

  it("is empty and never ends until something is pushed", () => {
    testScheduler.run(({ expectObservable }) => {
      expectObservable(new ReplayLog<string>().values$).toBe("-");
    });
  });

  it("stops delivering to a subscriber that unsubscribed, and keeps delivering to the others", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new ReplayLog<string>();
      feed(log, "-a-b-c-|", cold);
      expectObservable(log.values$, "^-!").toBe("-a");
      expectObservable(log.values$).toBe("-a-b-c-|");
    });
  });

  it("ignores pushes after the end", () => {
    const log = new ReplayLog<string>();
    log.push("a");
    log.complete();
    log.push("b");
    log.error(new Error("late"));
    const seen: string[] = [];
    let completed = false;
    log.values$.subscribe({ next: (v) => seen.push(v), complete: () => (completed = true) });
    expect(seen).toEqual(["a"]);
    expect(completed).toBe(true);
    expect(log.size).toBe(1);
  });

  it("delivers a value pushed during a replay once, in order", () => {
    const log = new ReplayLog<string>();
    log.push("a");
    const seen: string[] = [];
    log.values$.subscribe((v) => {
      seen.push(v);
      if (v === "a") log.push("b");
    });
    log.push("c");
    expect(seen).toEqual(["a", "b", "c"]);
  });

  it("stops the replay for a subscriber that has enough (take)", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new ReplayLog<string>();
      feed(log, "(abc)-d-|", cold);
      expectObservable(log.values$.pipe(take(2)), "--^").toBe("--(ab|)");
    });
  });
});
