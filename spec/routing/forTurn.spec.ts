import { TestScheduler } from "rxjs/testing";
import { forTurn } from "../../src/routing/forTurn.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { delta, turnCompleted, turnStarted, warning } from "../helpers/events.js";

describe("forTurn", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, Notification> = {
    s: turnStarted("th", "A"),
    a: delta("th", "A", "m1", "a"),
    b: delta("th", "B", "m2", "b"),
    g: warning("global"),
    c: turnCompleted("th", "A"),
    d: turnCompleted("th", "B"),
  };

  it("keeps only the notifications of its turn, by turnId and by turn.id", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -s-a-b-g-a-d-c-|", values);
      const sourceSubs = "  ^--------------!";
      const expected = "    -s-a-----a---c-|";
      expectObservable(source.pipe(forTurn("A"))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("never sees the events of an interleaved foreign turn", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-b-a-b-d-c-|", values);
      const expected = "    ---b---b-d---|";
      expectObservable(source.pipe(forTurn("B"))).toBe(expected, values);
    });
  });

  it("completes when the source is empty", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Notification>("|");
      expectObservable(source.pipe(forTurn("A"))).toBe("|");
      expectSubscriptions(source.subscriptions).toBe("(^!)");
    });
  });

  it("never emits for a source that never emits", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold<Notification>("-");
      expectObservable(source.pipe(forTurn("A"))).toBe("-");
      expectSubscriptions(source.subscriptions).toBe("^");
    });
  });

  it("passes an error through", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-#", values, new Error("wire died"));
      expectObservable(source.pipe(forTurn("A"))).toBe("-a-#", values, new Error("wire died"));
    });
  });

  it("unsubscribes from the source on early unsubscribe", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-a-a-a-|", values);
      const sourceSubs = "  ^----!    ";
      const unsub = "       ^----!    ";
      expectObservable(source.pipe(forTurn("A")), unsub).toBe("-a-a--", values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });
});
