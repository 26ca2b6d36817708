import { Subject, finalize, of, throwError, concat, defer } from "rxjs";
import { toAsyncIterable } from "../../src/client/toAsyncIterable.js";

describe("toAsyncIterable", () => {
  it("yields every value in order, including synchronous ones, then ends", async () => {
    const seen: number[] = [];
    for await (const v of toAsyncIterable(of(1, 2, 3))) seen.push(v);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("queues values that arrive while the loop body is busy (nothing lost)", async () => {
    const source = new Subject<number>();
    const it = toAsyncIterable(source);
    const first = it.next();
    source.next(1);
    source.next(2);
    source.next(3);
    source.complete();
    expect(await first).toEqual({ value: 1, done: false });
    expect(await it.next()).toEqual({ value: 2, done: false });
    expect(await it.next()).toEqual({ value: 3, done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("with latestOnly keeps only the newest value while the consumer is busy, and always the last", async () => {
    const source = new Subject<string>();
    const it = toAsyncIterable(source, { latestOnly: true });
    const first = it.next();
    source.next("a");
    expect(await first).toEqual({ value: "a", done: false });
    source.next("b");
    source.next("c");
    source.next("d");
    source.complete();
    expect(await it.next()).toEqual({ value: "d", done: false });
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("subscribes lazily, on the first next()", async () => {
    let subscribed = 0;
    const it = toAsyncIterable(defer(() => (subscribed++, of(1))));
    expect(subscribed).toBe(0);
    await it.next();
    expect(subscribed).toBe(1);
  });

  it("unsubscribes on break", async () => {
    let unsubscribed = false;
    const source = new Subject<number>();
    const running = (async () => {
      for await (const v of toAsyncIterable(source.pipe(finalize(() => (unsubscribed = true))))) {
        if (v === 2) break;
      }
    })();
    source.next(1);
    source.next(2);
    await running;
    expect(unsubscribed).toBe(true);
    expect(source.observed).toBe(false);
  });

  it("throws the source's error from next(), after the values before it", async () => {
    const it = toAsyncIterable(concat(of(1), throwError(() => new Error("wire died"))));
    expect(await it.next()).toEqual({ value: 1, done: false });
    await expect(it.next()).rejects.toThrow("wire died");
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  it("return() while waiting ends the pending next()", async () => {
    const it = toAsyncIterable(new Subject<number>());
    const pending = it.next();
    await it.return?.();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
