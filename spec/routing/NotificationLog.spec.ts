import { take } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import { NotificationLog } from "../../src/routing/NotificationLog.js";
import { delta, itemCompleted, agentMessage, turnStarted } from "../../src/testing/builders.js";

/** What a late subscriber gets from `log`, all at once (the log may still be open). */
function replayed(log: NotificationLog): Notification[] {
  const out: Notification[] = [];
  log.values$.subscribe((n) => out.push(n)).unsubscribe();
  return out;
}

/** Pushes `ns` into a new log; returns it and what a subscriber from the start got. */
function fed(ns: readonly Notification[]): { log: NotificationLog; live: Notification[] } {
  const log = new NotificationLog();
  const live: Notification[] = [];
  log.values$.subscribe((n) => live.push(n));
  for (const n of ns) log.push(n);
  return { log, live };
}

/** A delta of another kind (reasoning text) with an extra field beside its ids. */
function reasoningDelta(itemId: string, text: string, contentIndex: number): Notification {
  return { method: "item/reasoning/textDelta", params: { threadId: "A", turnId: "t1", itemId, delta: text, contentIndex } };
}

describe("NotificationLog", () => {
  it("replays a run of deltas to a late subscriber equal to what was received, in order, the first of the run the same object", () => {
    const ns = [turnStarted("A", "t1"), delta("A", "t1", "m1", "one "), delta("A", "t1", "m1", "two "), delta("A", "t1", "m1", "three")];
    const { log, live } = fed(ns);
    expect(live).toEqual(ns);
    const late = replayed(log);
    expect(late).toEqual(ns);
    expect(late[1]).toBe(ns[1]);
    expect(log.size).toBe(4);
  });

  it("starts a new run when the item, the method, another field or the key set changes, and keeps non-deltas in between", () => {
    const ns: Notification[] = [
      delta("A", "t1", "m1", "a"),
      delta("A", "t1", "m1", "b"),
      delta("A", "t1", "m2", "c"),
      reasoningDelta("m2", "d", 0),
      reasoningDelta("m2", "e", 0),
      reasoningDelta("m2", "f", 1),
      delta("A", "t1", "m2", "g"),
      { method: "item/agentMessage/delta", params: { threadId: "A", turnId: "t1", itemId: "m2", delta: "g2", extra: 1 } },
      delta("A", "t1", "m2", "h"),
      itemCompleted("A", "t1", agentMessage("m2", "cgh")),
      delta("A", "t1", "m2", "i"),
      { method: "item/agentMessage/delta", params: { threadId: "A", turnId: "t1", itemId: "m2", delta: "j" }, emittedAtMs: 5 } as Notification,
      delta("A", "t1", "m2", "k"),
    ];
    const { log, live } = fed(ns);
    expect(live).toEqual(ns);
    expect(replayed(log)).toEqual(ns);
  });

  it("never merges deltas whose other fields are objects (two parses never share one)", () => {
    const withObject = (text: string): Notification => ({ method: "x/delta", params: { itemId: "m1", delta: text, meta: { n: 1 } } });
    const ns = [withObject("a"), withObject("b")];
    const { log } = fed(ns);
    const late = replayed(log);
    expect(late).toEqual(ns);
    expect(late[0]).toBe(ns[0]);
    expect(late[1]).toBe(ns[1]);
  });

  it("keeps notifications without a string delta as they are", () => {
    const ns: Notification[] = [{ method: "x/delta", params: { delta: 3 } }, { method: "x/delta", params: { delta: 3 } }, { method: "y", params: null }];
    const { log } = fed(ns);
    const late = replayed(log);
    expect(late).toEqual(ns);
    ns.forEach((n, i) => expect(late[i]).toBe(n));
  });

  // A subscriber whose own next pushes: what it pushes during its replay reaches it once, in order.
  it.each([
    ["a run that grows during the replay", ["a", "b"], "b", ["a", "b", "c", "d"]],
    ["a push that turns the notification just replayed into a run", ["a"], "a", ["a", "c", "d"]],
  ] as const)("replays %s to the subscriber that pushed, once, in order", (_what, kept, pushAt, expected) => {
    const log = new NotificationLog();
    for (const t of kept) log.push(delta("A", "t1", "m1", t));
    const got: string[] = [];
    log.values$.subscribe((n) => {
      const text = (n.params as { delta: string }).delta;
      got.push(text);
      if (text === pushAt) log.push(delta("A", "t1", "m1", "c"));
    });
    log.push(delta("A", "t1", "m1", "d"));
    expect(got).toEqual(expected);
    expect(replayed(log).map((n) => (n.params as { delta: string }).delta)).toEqual(expected);
  });

  it("stops replaying a run to a subscriber that closes in the middle of it, and does not keep it as a live subscriber", () => {
    const { log } = fed(["a", "b", "c", "d"].map((t) => delta("A", "t1", "m1", t)));
    const got: string[] = [];
    log.values$.pipe(take(2)).subscribe((n) => got.push((n.params as { delta: string }).delta));
    expect(got).toEqual(["a", "b"]);
    // The subscriber of fed() is the one live subscriber left.
    expect((log as unknown as { live: readonly unknown[] }).live).toHaveLength(1);
    expect(replayed(log)).toHaveLength(4);
  });

  it("replays runs to a late subscriber at its frame, then the live deltas, then the end (marbles)", () => {
    const testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const v = { a: delta("A", "t1", "m1", "a"), b: delta("A", "t1", "m1", "b"), c: delta("A", "t1", "m2", "c"), d: delta("A", "t1", "m2", "d") };
    testScheduler.run(({ cold, expectObservable }) => {
      const log = new NotificationLog();
      cold("-a-b-c------d-|", v).subscribe({ next: (n) => log.push(n), complete: () => log.complete() });
      expectObservable(log.values$, "------^").toBe("------(abc)-d-|", v);
      expectObservable(log.values$, "----------------^").toBe("----------------(abcd|)", v);
    });
  });
});
