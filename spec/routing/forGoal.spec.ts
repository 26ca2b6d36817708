import { TestScheduler } from "rxjs/testing";
import { forGoal } from "../../src/routing/forGoal.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { goalCleared, goalUpdated } from "../../src/testing/index.js";
import { delta, turnCompleted, turnStarted, warning } from "../helpers/events.js";

describe("forGoal", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, Notification> = {
    u: goalUpdated("th", "active"),
    s: turnStarted("th", "t1"),
    d: delta("th", "t1", "m", "x"),
    c: turnCompleted("th", "t1"),
    S: turnStarted("th", "t2"),
    D: delta("th", "t2", "m", "y"),
    g: goalUpdated("th", "complete", "t2"),
    C: turnCompleted("th", "t2"),
    p: goalUpdated("th", "paused"),
    a: goalUpdated("th", "active"),
    k: goalCleared("th"),
    o: delta("th", "before", "m", "z"),
    x: goalUpdated("other", "complete"),
    y: turnStarted("other", "t9"),
    w: warning("global"),
  };

  it("keeps the goal's updates and its turns' events, and completes after the turn in flight when the goal is complete", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -u-s-d-c-S-D-g-C-u-|", values);
      const sourceSubs = "  ^--------------!";
      const expected = "    -u-s-d-c-S-D-g-(C|)";
      expectObservable(source.pipe(forGoal("th"))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("drops other threads, a turn that was running before, and thread-less notifications", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -o-u-x-y-w-s-d-|", values);
      const expected = "    ---u-------s-d-|";
      expectObservable(source.pipe(forGoal("th"))).toBe(expected, values);
    });
  });

  it("follows a pause and a resume without completing", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -u-s-c-p---a-S-D-", values);
      const expected = "    -u-s-c-p---a-S-D-";
      expectObservable(source.pipe(forGoal("th"))).toBe(expected, values);
    });
  });

  it("completes after a clear once no turn runs", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -u-s-k-d-c-S-|", values);
      const sourceSubs = "  ^--------!";
      const expected = "    -u-s-k-d-(c|)";
      expectObservable(source.pipe(forGoal("th"))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("ends when `until` says so (e.g. settled, paused included)", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -u-s-c-p-a-|", values);
      const expected = "    -u-s-c-(p|)";
      expectObservable(source.pipe(forGoal("th", (s) => s.settled))).toBe(expected, values);
    });
  });

  it("completes when the source is empty, never emits for never, and passes errors on", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const empty = cold<Notification>("|");
      expectObservable(empty.pipe(forGoal("th"))).toBe("|");
      expectSubscriptions(empty.subscriptions).toBe("(^!)");
      expectObservable(cold<Notification>("-").pipe(forGoal("th"))).toBe("-");
      expectObservable(cold("-u-#", values).pipe(forGoal("th"))).toBe("-u-#", values);
    });
  });

  it("unsubscribes from the source on early unsubscribe", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -u-s-d-c-|", values);
      const sourceSubs = "  ^----!";
      expectObservable(source.pipe(forGoal("th")), "^----!").toBe("-u-s-", values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });
});
