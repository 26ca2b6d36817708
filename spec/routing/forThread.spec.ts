import { TestScheduler } from "rxjs/testing";
import { forThread } from "../../src/routing/forThread.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { delta, statusChanged, warning } from "../helpers/events.js";

describe("forThread", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, Notification> = {
    a: delta("T1", "A", "m", "x"),
    s: statusChanged("T1", "active"),
    b: delta("T2", "B", "m", "y"),
    t: { method: "thread/started", params: { thread: { id: "T1" } } },
    g: warning("global"),
  };

  it("keeps the notifications of its thread, by threadId and by thread.id", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -t-s-b-g-a-|", values);
      const sourceSubs = "  ^----------!";
      const expected = "    -t-s-----a-|";
      expectObservable(source.pipe(forThread("T1")), undefined).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("drops global notifications and other threads", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -g-a-b-g-|", values);
      expectObservable(source.pipe(forThread("T2"))).toBe("-----b---|", values);
    });
  });

  it("handles empty, never and error sources", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<Notification>("|").pipe(forThread("T1"))).toBe("|");
      expectObservable(cold<Notification>("-").pipe(forThread("T1"))).toBe("-");
      expectObservable(cold<Notification>("--#").pipe(forThread("T1"))).toBe("--#");
    });
  });

  it("unsubscribes from the source on early unsubscribe", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-a-a-|", values);
      const unsub = "       ^--!     ";
      expectObservable(source.pipe(forThread("T1")), unsub).toBe("-a--", values);
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});
