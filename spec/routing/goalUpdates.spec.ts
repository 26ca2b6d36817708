import { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import { goalUpdates } from "../../src/routing/goalUpdates.js";
import { goalCleared, goalUpdated } from "../../src/testing/index.js";
import { turnStarted, warning } from "../helpers/events.js";

describe("goalUpdates", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const u = goalUpdated("th", "active");
  const v = goalUpdated("th", "complete", "t1");
  const values: Record<string, Notification> = { u, v, c: goalCleared("th"), x: goalUpdated("other", "paused"), y: goalCleared("other"), s: turnStarted("th", "t1"), w: warning("w") };
  const goals = { U: u.params.goal, V: v.params.goal, N: null };

  it("maps the thread's goal updates to their goal and a clear to null", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -u-s-v-w-c-|", values);
      const sourceSubs = "  ^----------!";
      const expected = "    -U---V---N-|";
      expectObservable(source.pipe(goalUpdates("th"))).toBe(expected, goals);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("never sees another thread's goal", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -x-u-y-c-|", values);
      const expected = "    ---U---N-|";
      expectObservable(source.pipe(goalUpdates("th"))).toBe(expected, goals);
    });
  });

  it("handles empty, never, error and early unsubscribe", () => {
    testScheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      expectObservable(cold<Notification>("|").pipe(goalUpdates("th"))).toBe("|");
      expectObservable(cold<Notification>("-").pipe(goalUpdates("th"))).toBe("-");
      expectObservable(cold("-u-#", values).pipe(goalUpdates("th"))).toBe("-U-#", goals);
      const source = hot("  -u-v-c-|", values);
      expectObservable(source.pipe(goalUpdates("th")), "^--!").toBe("-U-", goals);
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});
