import { TestScheduler } from "rxjs/testing";
import { untilTurnCompleted } from "../../src/routing/untilTurnCompleted.js";
import { forTurn } from "../../src/routing/forTurn.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { delta, turnCompleted, turnStarted } from "../helpers/events.js";

describe("untilTurnCompleted", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, Notification> = {
    s: turnStarted("th", "A"),
    a: delta("th", "A", "m", "x"),
    b: delta("th", "B", "m", "y"),
    x: turnCompleted("th", "B"),
    c: turnCompleted("th", "A"),
  };

  it("emits up to and including the turn's turn/completed, then completes and unsubscribes", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -s-a-a-c-a-|", values);
      const sourceSubs = "  ^------!    ";
      const expected = "    -s-a-a-(c|) ";
      expectObservable(source.pipe(untilTurnCompleted("A"))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("is not ended by another turn's completion", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-x-b-c-|", values);
      const expected = "    -a-x-b-(c|)";
      expectObservable(source.pipe(untilTurnCompleted("A"))).toBe(expected, values);
    });
  });

  it("with forTurn gives exactly one turn's events", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -s-b-a-x-c-b-|", values);
      const expected = "    -s---a---(c|)";
      expectObservable(source.pipe(forTurn("A"), untilTurnCompleted("A"))).toBe(expected, values);
    });
  });

  it("handles empty, never and error sources", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Notification>("|").pipe(untilTurnCompleted("A"))).toBe("|");
      expectObservable(cold<Notification>("-").pipe(untilTurnCompleted("A"))).toBe("-");
      expectObservable(cold<Notification>("-a-#", values).pipe(untilTurnCompleted("A"))).toBe("-a-#", values);
    });
  });

  it("unsubscribes from the source on early unsubscribe", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-a-a-c-|", values);
      const unsub = "       ^--!       ";
      expectObservable(source.pipe(untilTurnCompleted("A")), unsub).toBe("-a--", values);
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});
