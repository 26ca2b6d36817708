import { NEVER, map, mergeMap, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ThreadTurns, type TurnCapture } from "../../src/client/ThreadTurns.js";
import type { Notification } from "../../src/protocol/notifications.js";
import type { ServerRequestEvent } from "../../src/rpc/RpcConnection.js";
import { delta, turnCompleted, turnStarted } from "../helpers/events.js";

/** The handle the seam builds in these tests: the capture itself. */
const asHandle = (capture: TurnCapture): TurnCapture => capture;

/** A client turn's handle, as `thread.turn()` would hand it over. */
function clientHandle(turnId: string, events$: Observable<Notification>): TurnCapture {
  return { turnId, events$, serverRequests$: NEVER, dispose: () => undefined };
}

describe("ThreadTurns (the seam behind thread.turns$)", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const values: Record<string, Notification> = {
    a: turnStarted("th", "A"),
    x: delta("th", "A", "m", "x"),
    A: turnCompleted("th", "A"),
    b: turnStarted("th", "B"),
    y: delta("th", "B", "m", "y"),
    B: turnCompleted("th", "B"),
    o: turnStarted("other", "O"),
    z: delta("other", "O", "m", "z"),
  };

  it("emits a handle at each turn/started of its thread, and each handle replays its own turn", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-x-o-b-z-A-y-B-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId))).toBe("-a-----b---------|", { a: "A", b: "B" });
      expectObservable(turns.turns$.pipe(mergeMap((h) => h.events$))).toBe("-a-x---b---A-y-B-|", values);
      // One watcher however many subscribers, plus one capture per turn until its turn/completed.
      expectSubscriptions(source.subscriptions).toBe(["^----------------!", "-^---------!", "-------^-------!"]);
    });
  });

  it("is hot: a turn that started before the subscription is not emitted", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-x-b-A-B-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId)), "---^").toBe("-----b-----|", { b: "B" });
    });
  });

  it("a claimed client turn appears once, as its own handle, whether turn/started comes before or after the answer", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  -a-x-A-b-y-B-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      const emitted: TurnCapture[] = [];
      turns.turns$.subscribe((h) => emitted.push(h));
      const mine = [clientHandle("A", cold("a-x-A|", values)), clientHandle("B", cold("b-y-B|", values))];
      // A: the answer comes after turn/started; B: before it.
      const claimA = turns.claim();
      testScheduler.schedule(() => claimA.settle("A", mine[0] as TurnCapture, (mine[0] as TurnCapture).events$), 2);
      testScheduler.schedule(() => {
        const claimB = turns.claim();
        claimB.settle("B", mine[1] as TurnCapture, (mine[1] as TurnCapture).events$);
      }, 6);
      expectObservable(source).toBe("-a-x-A-b-y-B-|", values);
      testScheduler.flush();
      expect(emitted).toEqual(mine);
      expect(emitted[0]).toBe(mine[0]);
    });
  });

  it("holds another turn while a claim is pending, and emits it, whole, once the claim settles", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("  -b-y-a-x-A---B-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      const mine = clientHandle("A", cold("a-x-A|", values));
      const claim = turns.claim();
      testScheduler.schedule(() => claim.settle("A", mine, mine.events$), 8);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId))).toBe("--------(ab)---|", { a: "A", b: "B" });
      expectObservable(turns.turns$.pipe(mergeMap((h) => (h === mine ? NEVER : h.events$)))).toBe("--------(by)-B--", values);
    });
  });

  it("a cancelled claim releases the turns it held", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -b-y-B-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      const claim = turns.claim();
      testScheduler.schedule(() => claim.cancel(), 4);
      testScheduler.schedule(() => claim.cancel(), 5);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId))).toBe("----b--|", { b: "B" });
    });
  });

  it("a handle keeps capturing after the last subscriber left; the watcher stops", () => {
    testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const source = hot("  -a-x-A-b-|", values);
      const turns = new ThreadTurns("th", source, NEVER, asHandle);
      let first: TurnCapture | undefined;
      const sub = turns.turns$.subscribe((h) => (first ??= h));
      testScheduler.schedule(() => sub.unsubscribe(), 2);
      testScheduler.schedule(() => expectObservable((first as TurnCapture).events$).toBe("--ax-(A|)", values), 2);
      expectSubscriptions(source.subscriptions).toBe(["^-!", "-^---!"]);
    });
  });

  it("captures the server requests of a turn until its turn/completed", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const request = (turnId: string): ServerRequestEvent =>
        ({ request: { id: 1, method: "item/tool/requestUserInput", params: { threadId: "th", turnId } }, response: { result: {} } }) as unknown as ServerRequestEvent;
      const requests = { r: request("A"), s: request("B") };
      const source = hot("    -a-x-A-|", values);
      const serverRequests = hot("--r-s--r-|", requests);
      const turns = new ThreadTurns("th", source, serverRequests, asHandle);
      expectObservable(turns.turns$.pipe(mergeMap((h) => h.serverRequests$))).toBe("--r----|", requests);
    });
  });
});
