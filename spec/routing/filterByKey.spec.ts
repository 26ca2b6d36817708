import { TestScheduler } from "rxjs/testing";
import { filterByKey } from "../../src/routing/filterByKey.js";

describe("filterByKey", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  // A value's key is its first letter: "a1" has key "a".
  const keyOf = (v: string): string | undefined => v[0];
  const values = { a: "a1", b: "b1", c: "a2", d: "b2", e: "a3" };

  it("buffers values that arrive before the key, then flushes the matching ones in order", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-b-c--d-e-|", values);
      const sourceSubs = "  ^-----------!";
      const key$ = cold("   ------(k|)   ", { k: "a" });
      const keySubs = "     ^-----!      ";
      const expected = "    ------(ac)e-|";
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe(expected, values);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      expectSubscriptions(key$.subscriptions).toBe(keySubs);
    });
  });

  it("loses nothing that arrived between subscription and key (late key, busy source)", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  -a-c-e---------|", values);
      const key$ = cold("   ------k         ", { k: "a" });
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("------(ace)----|", values);
    });
  });

  it("passes live values once the key is known", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  ---b-d-a-c-|", values);
      const key$ = cold("   (k|)", { k: "b" });
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("---b-d-----|", values);
    });
  });

  it("uses only the first key", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  --a-b-c-d-|", values);
      const key$ = cold("   -k---j-|", { k: "b", j: "a" });
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("----b---d-|", values);
    });
  });

  it("waits for the key when the source completes first, then completes", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold(" -a-b|", values);
      const key$ = cold("   -------(k|)", { k: "a" });
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("-------(a|)", values);
    });
  });

  it("errors when the key errors (e.g. the request failed), dropping the buffer", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-b-c-|", values);
      const sourceSubs = "  ^---!   ";
      const key$ = cold("   ----#   ", undefined, new Error("turn/start failed"));
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("----#", undefined, new Error("turn/start failed"));
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("errors when the source errors", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  -a-#", values, new Error("wire died"));
      const key$ = cold("   -k--", { k: "a" });
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("-a-#", values, new Error("wire died"));
    });
  });

  it("completes with nothing when the key completes without a value", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  -a-b-|", values);
      const key$ = cold("   --|");
      expectObservable(source.pipe(filterByKey(key$, keyOf))).toBe("--|");
    });
  });

  it("stays silent for empty and never sources while the key never comes", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      expectObservable(cold<string>("|").pipe(filterByKey(cold<string>("-"), keyOf))).toBe("-");
      expectObservable(cold<string>("-").pipe(filterByKey(cold<string>("-"), keyOf))).toBe("-");
    });
  });

  it("unsubscribes from source and key on early unsubscribe", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-b-c-e-|", values);
      const key$ = cold("   --------k", { k: "a" });
      const unsub = "       ^----!    ";
      expectObservable(source.pipe(filterByKey(key$, keyOf)), unsub).toBe("------");
      expectSubscriptions(source.subscriptions).toBe("^----!");
      expectSubscriptions(key$.subscriptions).toBe("^----!");
    });
  });

  it("accepts a Promise as the key", async () => {
    const { Subject } = await import("rxjs");
    const source = new Subject<string>();
    const seen: string[] = [];
    let resolve!: (k: string) => void;
    const key = new Promise<string>((r) => (resolve = r));
    source.pipe(filterByKey(key, keyOf)).subscribe((v) => seen.push(v));
    source.next("a1");
    source.next("b1");
    resolve("a");
    await key;
    source.next("a2");
    expect(seen).toEqual(["a1", "a2"]);
  });
});
