import { forkJoin, map, switchMap, takeUntil, throwError, timeout, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ownedTurn$, type OwnedTurnHandle } from "../../src/client/ownedTurn.js";

/** A stand-in turn handle: its result marble, and the virtual times `interrupt()` was called at. */
interface FakeHandle extends OwnedTurnHandle {
  readonly name: string;
  readonly result$: Observable<string>;
  readonly interrupts: number[];
}

describe("ownedTurn$", () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });
  const handle = (name: string, result$: Observable<string>): FakeHandle => {
    const interrupts: number[] = [];
    return { name, result$, interrupts, interrupt: () => (interrupts.push(ts.now()), Promise.resolve()) };
  };

  it("starts a turn per subscription and forwards its result; no interrupt when it ends by itself", () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const result$ = cold("--(r|)");
      const h = handle("a", result$);
      const start = cold("-(h|)", { h });
      expectObservable(ownedTurn$(() => start, (x) => x.result$)).toBe("---(r|)");
      expectSubscriptions(start.subscriptions).toBe("^!");
      expectSubscriptions(result$.subscriptions).toBe("-^-!");
      ts.flush();
      expect(h.interrupts).toEqual([]);
    });
  });

  it("interrupts the turn when unsubscribed after the handle is known", () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const result$ = cold("-----(r|)");
      const h = handle("a", result$);
      expectObservable(ownedTurn$(() => cold("-(h|)", { h }), (x) => x.result$), "^--!").toBe("----");
      expectSubscriptions(result$.subscriptions).toBe("-^-!");
      ts.flush();
      expect(h.interrupts).toEqual([3]);
    });
  });

  it("unsubscribed before turn/start answered, interrupts as soon as the handle arrives", () => {
    ts.run(({ cold, expectObservable, expectSubscriptions }) => {
      const result$ = cold("-(r|)");
      const h = handle("a", result$);
      expectObservable(ownedTurn$(() => cold("----(h|)", { h }), (x) => x.result$), "^-!").toBe("---");
      expectSubscriptions(result$.subscriptions).toBe([]);
      ts.flush();
      expect(h.interrupts).toEqual([4]);
    });
  });

  it("fails as the start fails, interrupting nothing", () => {
    ts.run(({ cold, expectObservable }) => {
      const start = cold<FakeHandle>("--#", undefined, new Error("refused"));
      expectObservable(ownedTurn$(() => start, (x) => x.result$)).toBe("--#", undefined, new Error("refused"));
    });
  });

  it("fails as the turn fails (a failed turn is over: no interrupt)", () => {
    ts.run(({ cold, expectObservable }) => {
      const h = handle("a", cold("--#", undefined, new Error("turn failed")));
      expectObservable(ownedTurn$(() => cold("(h|)", { h }), (x) => x.result$)).toBe("--#", undefined, new Error("turn failed"));
      ts.flush();
      expect(h.interrupts).toEqual([]);
    });
  });

  it("takeUntil and timeout interrupt the turn", () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const a = handle("a", cold("-------(r|)"));
      const b = handle("b", cold("-------(r|)"));
      expectObservable(ownedTurn$(() => cold("(h|)", { h: a }), (x) => x.result$).pipe(takeUntil(hot("---s")))).toBe("---|");
      const late = new Error("late");
      expectObservable(ownedTurn$(() => cold("(h|)", { h: b }), (x) => x.result$).pipe(timeout({ first: 5, with: () => throwError(() => late) }))).toBe("-----#", undefined, late);
      ts.flush();
      expect([a.interrupts, b.interrupts]).toEqual([[3], [5]]);
    });
  });

  it("switchMap interrupts the previous prompt's turn", () => {
    ts.run(({ cold, hot, expectObservable }) => {
      const handles = [handle("a", cold("------(r|)", { r: "a" })), handle("b", cold("--(r|)", { r: "b" }))];
      let i = 0;
      const prompts = hot("-p--q----|");
      expectObservable(prompts.pipe(switchMap(() => ownedTurn$(() => cold("(h|)", { h: handles[i++] as FakeHandle }), (x) => x.result$)))).toBe("------b--|", { b: "b" });
      ts.flush();
      expect(handles.map((h) => h.interrupts)).toEqual([[4], []]);
    });
  });

  it("forkJoin: one turn failing interrupts the others, including one still starting", () => {
    ts.run(({ cold, expectObservable }) => {
      const a = handle("a", cold("--------(r|)"));
      const b = handle("b", cold("--#", undefined, new Error("b failed")));
      const c = handle("c", cold("(r|)"));
      const turn = (h: FakeHandle, start: string): Observable<string> => ownedTurn$(() => cold(start, { h }), (x) => x.result$);
      expectObservable(forkJoin([turn(a, "(h|)"), turn(b, "-(h|)"), turn(c, "------(h|)")]).pipe(map(() => "done"))).toBe("---#", undefined, new Error("b failed"));
      ts.flush();
      expect([a.interrupts, b.interrupts, c.interrupts]).toEqual([[3], [], [6]]);
    });
  });
});
