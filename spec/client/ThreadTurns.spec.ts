import { NEVER, Subject, map, mergeMap } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { ThreadTurns } from "../../src/client/ThreadTurns.js";
import type { Notification } from "../../src/protocol/notifications.js";
import type { ServerRequestEvent } from "../../src/rpc/RpcConnection.js";
import { NotificationRouter } from "../../src/routing/NotificationRouter.js";
import type { TurnCapture } from "../../src/routing/TurnCapture.js";
import { delta, turnCompleted, turnStarted } from "../helpers/events.js";

/** The handle the seam builds in these tests: the capture itself. */
const asHandle = (capture: TurnCapture): TurnCapture => capture;

describe("ThreadTurns (what is behind thread.turns$, on the keyed router)", () => {
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
      const turns = new ThreadTurns("th", new NotificationRouter({ notifications$: source, serverRequests$: NEVER }), asHandle);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId))).toBe("-a-----b----------", { a: "A", b: "B" });
      expectObservable(turns.turns$.pipe(mergeMap((h) => h.events$))).toBe("-a-x---b---A-y-B--", values);
      // One subscription to the wire, however many turns and subscribers.
      expectSubscriptions(source.subscriptions).toBe("^----------------!");
    });
  });

  it("is hot: a turn that started before the subscription is not emitted", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-x-b-A-B-|", values);
      const turns = new ThreadTurns("th", new NotificationRouter({ notifications$: source, serverRequests$: NEVER }), asHandle);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId)), "---^").toBe("-----b------", { b: "B" });
    });
  });

  it("a turn this object started appears once, as the handle it made, whether turn/started comes before or after the answer", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-x-A-b-y-B-|", values);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const turns = new ThreadTurns("th", router, asHandle);
      const emitted: TurnCapture[] = [];
      turns.turns$.subscribe((h) => emitted.push(h));
      const mine: TurnCapture[] = [];
      const start = (turnId: string): void => {
        const capture = router.captureTurn("th").claim(turnId);
        mine.push(capture);
        turns.startedHere(turnId, capture);
      };
      const pendingA = router.captureTurn("th");
      // A: the answer comes after turn/started (held meanwhile); B: before it.
      testScheduler.schedule(() => {
        const capture = pendingA.claim("A");
        mine.push(capture);
        turns.startedHere("A", capture);
      }, 2);
      testScheduler.schedule(() => start("B"), 6);
      expectObservable(source).toBe("-a-x-A-b-y-B-|", values);
      testScheduler.flush();
      expect(emitted).toEqual(mine);
      expect(emitted.map((h) => h.turnId)).toEqual(["A", "B"]);
    });
  });

  it("a turn the server starts while a turn/start is in flight is held, then emitted whole", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -b-y-a-x-A---B-|", values);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const turns = new ThreadTurns("th", router, asHandle);
      const pending = router.captureTurn("th");
      let mine: TurnCapture | undefined;
      testScheduler.schedule(() => {
        mine = pending.claim("A");
        turns.startedHere("A", mine);
      }, 8);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId))).toBe("--------(ba)----", { a: "A", b: "B" });
      expectObservable(turns.turns$.pipe(mergeMap((h) => (h === mine ? NEVER : h.events$)))).toBe("--------(by)-B--", values);
    });
  });

  it("a handle keeps its turn after the last subscriber left", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const source = hot("  -a-x-A-b-|", values);
      const turns = new ThreadTurns("th", new NotificationRouter({ notifications$: source, serverRequests$: NEVER }), asHandle);
      let first: TurnCapture | undefined;
      const sub = turns.turns$.subscribe((h) => (first ??= h));
      testScheduler.schedule(() => sub.unsubscribe(), 2);
      testScheduler.schedule(() => expectObservable((first as TurnCapture).events$).toBe("--ax-(A|)", values), 2);
      expectObservable(turns.turns$.pipe(map((h) => h.turnId)), "----^").toBe("-------b--", { b: "B" });
    });
  });

  it("captures the server requests of a server-started turn until its turn/completed", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const request = (turnId: string): ServerRequestEvent =>
        ({ request: { id: 1, method: "item/tool/requestUserInput", params: { threadId: "th", turnId } }, response: { result: {} } }) as unknown as ServerRequestEvent;
      const requests = { r: request("A"), s: request("B") };
      const source = hot("    -a-x-A-|", values);
      const serverRequests = hot("--r-s--r-|", requests);
      const turns = new ThreadTurns("th", new NotificationRouter({ notifications$: source, serverRequests$: serverRequests }), asHandle);
      expectObservable(turns.turns$.pipe(mergeMap((h) => h.serverRequests$))).toBe("--r------", requests);
    });
  });

  it("a turn another Thread object started on the same thread gets its own handle", async () => {
    const source = new Subject<Notification>();
    const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
    const turns = new ThreadTurns("th", router, asHandle);
    const emitted: TurnCapture[] = [];
    turns.turns$.subscribe((h) => emitted.push(h));
    const theirs = router.captureTurn("th").claim("A");
    expect(emitted).toEqual([]);
    await Promise.resolve();
    expect(emitted).toEqual([theirs]);
    source.next(turnStarted("th", "A"));
    source.next(turnCompleted("th", "A"));
    expect(emitted).toHaveLength(1);
  });
});
