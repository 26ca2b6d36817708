import { TestScheduler } from "rxjs/testing";
import { currentThenUpdates } from "../../src/client/goals.js";

describe("currentThenUpdates", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("emits the read value, then the updates that came meanwhile, then the live ones", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const updates = hot(" --u-----v--");
      const current = cold("---(c|)");
      const updatesSubs = "  ^----------";
      const expected = "     ---(cu)-v--";
      expectObservable(currentThenUpdates(current, updates)).toBe(expected);
      expectSubscriptions(updates.subscriptions).toBe(updatesSubs);
      expectSubscriptions(current.subscriptions).toBe("^--!");
    });
  });

  it("subscribes to the updates before the read: an update sent at once is not lost", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const updates = hot("  u-----v-");
      const current = cold(" -(c|)");
      expectObservable(currentThenUpdates(current, updates)).toBe("-(cu)-v-");
    });
  });

  it("fails with the read's error, and unsubscribes the updates", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const updates = hot(" --u--");
      const current = cold("---#");
      expectObservable(currentThenUpdates(current, updates)).toBe("---#");
      expectSubscriptions(updates.subscriptions).toBe("^--!");
    });
  });

  it("completes when both the read and the updates complete; early unsubscribe leaves nothing", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      expectObservable(currentThenUpdates(cold("(c|)"), cold("-u|"))).toBe("cu|");
      const updates = hot(" --u--v--");
      const current = cold("-(c|)");
      expectObservable(currentThenUpdates(current, updates), "^---!").toBe("-cu-");
      expectSubscriptions(updates.subscriptions).toBe("^---!");
    });
  });
});
