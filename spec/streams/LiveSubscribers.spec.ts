import { TestScheduler } from "rxjs/testing";
import { HotStream } from "../../src/streams/HotStream.js";

// LiveSubscribers is abstract: it is tested through its smallest subclass, HotStream (a push is
// the indexed loop over `live`, `observers` reads `live`).
describe("LiveSubscribers", () => {
  it("gives live subscribers what is pushed while subscribed, then the end; a late one gets the end at once (marbles)", () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    testScheduler.run(({ cold, expectObservable }) => {
      const live = new HotStream<string>();
      cold("-a-b-c-|").subscribe({ next: (v) => live.next(v), complete: () => live.complete() });
      expectObservable(live.observable, "--^-!").toBe("---b");
      expectObservable(live.observable, "^").toBe("-a-b-c-|");
      expectObservable(live.observable, "---------^").toBe("---------|");
    });
  });

  it("errors live and later subscribers with the error, once", () => {
    const live = new HotStream<string>();
    const got: unknown[] = [];
    live.observable.subscribe({ next: (v) => got.push(v), error: (e: unknown) => got.push(["error", e]) });
    live.next("a");
    live.error("boom");
    live.error("again");
    live.complete();
    live.next("b");
    live.observable.subscribe({ error: (e: unknown) => got.push(["late", e]) });
    expect(got).toEqual(["a", ["error", "boom"], ["late", "boom"]]);
    expect(live.done).toBe(true);
    expect(live.observers).toHaveLength(0);
  });

  it("copies on write: a subscriber added or removed during a push takes effect from the next push", () => {
    const live = new HotStream<number>();
    const got: string[] = [];
    const second = live.observable.subscribe((v) => got.push(`second ${v}`));
    const first = live.observable.subscribe((v) => {
      got.push(`first ${v}`);
      if (v === 1) {
        live.observable.subscribe((w) => got.push(`third ${w}`));
        second.unsubscribe();
      }
    });
    live.next(1);
    live.next(2);
    first.unsubscribe();
    expect(got).toEqual(["second 1", "first 1", "first 2", "third 2"]);
    expect(live.observers).toHaveLength(1);
  });

  it("holds one shared frozen empty array when nobody follows, in every stream", () => {
    const a = new HotStream<number>();
    const b = new HotStream<number>();
    expect(a.observers).toBe(b.observers);
    expect(Object.isFrozen(a.observers)).toBe(true);
    const subscription = a.observable.subscribe();
    expect(a.observers).toHaveLength(1);
    subscription.unsubscribe();
    expect(a.observers).toBe(b.observers);
    b.observable.subscribe();
    b.complete();
    expect(b.observers).toBe(a.observers);
  });
});
