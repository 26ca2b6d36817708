import { EMPTY, NEVER, Subject, map, mergeMap, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import type { ServerRequestEvent } from "../../src/rpc/RpcConnection.js";
import { NotificationRouter, type TurnOrigin } from "../../src/routing/NotificationRouter.js";
import type { TurnCapture } from "../../src/routing/TurnCapture.js";
import { delta, turnStarted } from "../../src/testing/builders.js";
import { n } from "./routerLetters.js";

// The letters (a/b/c, d/e/f, x/y/z, s, g) are in routerLetters.ts.

const loginCompleted = (loginId: string | null, success = true): Notification => ({
  method: "account/login/completed",
  params: { loginId, success, error: null },
});

function approval(threadId: string, turnId: string, id: number): ServerRequestEvent {
  return {
    request: { id, method: "item/commandExecution/requestApproval", params: { threadId, turnId, itemId: `i${id}`, command: "ls" } },
    response: { result: { decision: "accept" } },
  } as ServerRequestEvent;
}

describe("NotificationRouter", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  /** Claims `pending` at the frame of `k` in `marbles`, then follows the capture's events. */
  function claimAt<T>(cold: TestScheduler["createColdObservable"], marbles: string, claim: () => TurnCapture, pick: (c: TurnCapture) => Observable<T>): Observable<T> {
    return cold(marbles).pipe(map(claim), mergeMap(pick));
  }

  it("holds a thread's turn events from captureTurn until the claim, then delivers only that turn's, in wire order, and ends at turn/completed", () => {
    testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const source = hot("   -a-s-b-e---c-|", n);
      const sourceSubs = "   ^------------!";
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const pending = router.captureTurn("A");
      const events$ = claimAt(cold, "------(k|)", () => pending.claim("t1"), (c) => c.events$);
      expectObservable(events$).toBe("------(ab)-(c|)", n);
      expectSubscriptions(source.subscriptions).toBe(sourceSubs);
    });
  });

  it("keeps concurrent turns isolated, on one thread and across threads, with foreign ids interleaved", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("-a-x-d-b-y-e-g-c-z-f-|", n);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const p1 = router.captureTurn("A");
      const p2 = router.captureTurn("A");
      const p3 = router.captureTurn("B");
      expectObservable(claimAt(cold, "--(k|)", () => p1.claim("t1"), (c) => c.events$)).toBe("--a----b-------(c|)", n);
      expectObservable(claimAt(cold, "------------(k|)", () => p2.claim("t2"), (c) => c.events$)).toBe("------------(de)---(f|)", n);
      expectObservable(claimAt(cold, "----(k|)", () => p3.claim("u1"), (c) => c.events$)).toBe("----x----y-------(z|)", n);
    });
  });

  it("hands a child turn's turn/started (a review's: its own id, rooted at the claimed turn) to the root turn's capture, and no other", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const child: Notification = { method: "turn/started", params: { threadId: "A", turn: { ...turnStarted("A", "child").params.turn, rootTurnId: "t1" } } } as Notification;
      const stranger: Notification = { method: "turn/started", params: { threadId: "A", turn: { ...turnStarted("A", "other").params.turn, rootTurnId: "gone" } } } as Notification;
      const source = hot("--r-q-b-c-|", { ...n, r: child, q: stranger });
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const pending = router.captureTurn("A");
      expectObservable(claimAt(cold, "-(k|)", () => pending.claim("t1"), (c) => c.events$)).toBe("--r---b-(c|)", { ...n, r: child });
    });
  });

  it("subscribes to the wire once, however many turns are open", () => {
    testScheduler.run(({ hot, expectSubscriptions }) => {
      const source = hot<Notification>("-----|");
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      for (let i = 0; i < 1000; i += 1) router.captureTurn(`thread-${i}`).claim(`turn-${i}`);
      expect(router.openTurns()).toHaveLength(1000);
      expectSubscriptions(source.subscriptions).toBe("^----!");
    });
  });

  it("replays a claimed turn to a subscriber that comes after its completion", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("-a-b-c---", n);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const capture = router.captureTurn("A").claim("t1");
      expectObservable(cold("-------(k|)").pipe(mergeMap(() => capture.events$))).toBe("-------(abc|)", n);
    });
  });

  it("drops what it held when the turn/start fails (abandon), and forgets the thread", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("-a-b-----c-|", n);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const pending = router.captureTurn("A");
      testScheduler.schedule(() => pending.abandon(), 4);
      testScheduler.schedule(() => expect(router.openTurns()).toEqual([]), 5);
      // A later claim of the same turn on the same thread starts from nothing held.
      const later = router.captureTurn.bind(router);
      expectObservable(claimAt(cold, "------(k|)", () => later("A").claim("t1"), (c) => c.events$)).toBe("---------(c|)", n);
    });
  });

  it("errors every open turn when the wire dies, and completes them when the client closes", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const dies = hot("-a-b-#", n, new Error("gone"));
      const r1 = new NotificationRouter({ notifications$: dies, serverRequests$: NEVER });
      expectObservable(r1.captureTurn("A").claim("t1").events$).toBe("-a-b-#", n, new Error("gone"));
      const closes = hot("-a-b-|", n);
      const r2 = new NotificationRouter({ notifications$: closes, serverRequests$: NEVER });
      expectObservable(r2.captureTurn("A").claim("t1").events$).toBe("-a-b-|", n);
    });
  });

  it("ends a turn claimed after the wire ended at once, with what was held for it", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("-a-b-|", n);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const pending = router.captureTurn("A");
      expectObservable(claimAt(cold, "-------(k|)", () => pending.claim("t1"), (c) => c.events$)).toBe("-------(ab|)", n);
    });
  });

  it("routes server requests to the turn they were made in, held until the claim like notifications, and completes them with the turn", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const r = { p: approval("A", "t1", 1), q: approval("A", "t2", 2), v: approval("A", "t1", 3) };
      const source = hot("  -a------c-|", n);
      const requests = hot("--p-q-v----", r);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: requests });
      const pending = router.captureTurn("A");
      expectObservable(claimAt(cold, "---(k|)", () => pending.claim("t1"), (c) => c.serverRequests$)).toBe("---p--v-|", r);
    });
  });

  describe("watchThread", () => {
    it("opens a capture for a turn the server starts by itself, before its turn/started is delivered", () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const source = hot("-s-a-b-x-c-|", n);
        const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
        const opened = new Subject<Observable<Notification>>();
        const origins: TurnOrigin[] = [];
        router.watchThread("A", (capture, origin) => {
          origins.push(origin);
          // Nothing delivered yet: a handle made here sees the turn from its turn/started.
          expect(capture.size).toBe(0);
          opened.next(capture.events$);
        });
        expectObservable(opened.pipe(mergeMap((events$) => events$))).toBe("---a-b---c-", n);
        testScheduler.schedule(() => expect(origins).toEqual(["server"]), 11);
      });
    });

    it("tells the watchers of a client's claim too, and does not open a second capture for it", () => {
      testScheduler.run(({ hot, cold, expectObservable }) => {
        const source = hot("-a-b-c-|", n);
        const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
        const seen: [string, TurnOrigin][] = [];
        router.watchThread("A", (capture, origin) => seen.push([capture.turnId, origin]));
        const pending = router.captureTurn("A");
        expectObservable(claimAt(cold, "--(k|)", () => pending.claim("t1"), (c) => c.events$)).toBe("--ab-(c|)", n);
        testScheduler.schedule(() => expect(seen).toEqual([["t1", "client"]]), 7);
      });
    });

    it("gives a server turn that arrived while a turn/start was in flight its own capture, in order, once the claim is made", () => {
      testScheduler.run(({ hot, cold, expectObservable }) => {
        const source = hot("-d-e-a-b-----f-c-|", n);
        const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
        const opened = new Subject<Observable<Notification>>();
        router.watchThread("A", (capture, origin) => {
          if (origin === "server") opened.next(capture.events$);
        });
        const pending = router.captureTurn("A");
        expectObservable(opened.pipe(mergeMap((events$) => events$))).toBe("--------(de)-f", n);
        expectObservable(claimAt(cold, "--------(k|)", () => pending.claim("t1"), (c) => c.events$)).toBe("--------(ab)---(c|)", n);
      });
    });

    it("opens nothing for an unknown turn whose first notification is not turn/started (a late one of a finished turn)", () => {
      const source = new Subject<Notification>();
      const router = new NotificationRouter({ notifications$: source, serverRequests$: EMPTY });
      const opened: string[] = [];
      router.watchThread("A", (capture) => opened.push(capture.turnId));
      source.next(n.b);
      source.next(n.c);
      expect(opened).toEqual([]);
      expect(router.openTurns()).toEqual([]);
    });

    it("stops calling a watcher once unsubscribed, and forgets the idle thread", () => {
      const source = new Subject<Notification>();
      const router = new NotificationRouter({ notifications$: source, serverRequests$: EMPTY });
      const opened: string[] = [];
      const watching = router.watchThread("A", (capture) => opened.push(capture.turnId));
      source.next(n.a);
      source.next(n.c);
      watching.unsubscribe();
      source.next(n.d);
      expect(opened).toEqual(["t1"]);
      expect(router["threads"].size).toBe(0);
    });
  });

  describe("for reconnects", () => {
    it("lists the open turns by thread, finds a capture, and takes extra notifications pushed into it", () => {
      const source = new Subject<Notification>();
      const router = new NotificationRouter({ notifications$: source, serverRequests$: EMPTY });
      const t1 = router.captureTurn("A").claim("t1");
      const t2 = router.captureTurn("A").claim("t2");
      const u1 = router.captureTurn("B").claim("u1");
      const open = router.openTurns();
      expect(open.map((t) => t.threadId)).toEqual(["A", "B"]);
      expect(open[0]?.turns).toEqual([t1, t2]);
      expect(open[0]?.turns[0]).toBe(t1);
      expect(open[1]?.turns[0]).toBe(u1);
      expect(router.openTurnsOn("A")).toEqual([t1, t2]);
      expect(router.openTurnsOn("C")).toEqual([]);
      expect(router.turn("A", "t1")).toBe(t1);
      expect(router.turn("B", "t1")).toBeUndefined();
      const seen: string[] = [];
      let completed = false;
      t1.events$.subscribe({ next: (e) => seen.push(e.method), complete: () => (completed = true) });
      t1.push(n.b);
      router.route(n.c);
      expect(seen).toEqual(["item/agentMessage/delta", "turn/completed"]);
      expect(completed).toBe(true);
      expect(router.openTurns().map((t) => ({ threadId: t.threadId, turnIds: t.turns.map((c) => c.turnId) }))).toEqual([
        { threadId: "A", turnIds: ["t2"] },
        { threadId: "B", turnIds: ["u1"] },
      ]);
      // What was handed out before is a copy: the completed turn stays in it.
      expect(open[0]?.turns).toHaveLength(2);
      expect(router.openTurnsOn("A")).toEqual([t2]);
    });
  });

  describe("captureLogin", () => {
    it("holds a completion that arrives before the claim and delivers only its own attempt's, then completes", () => {
      testScheduler.run(({ hot, cold, expectObservable }) => {
        const l = { o: loginCompleted("other"), m: loginCompleted("mine"), k: loginCompleted(null) };
        const source = hot("-o-k-m---|", l);
        const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
        const pending = router.captureLogin();
        testScheduler.schedule(() => pending.claim("mine"), 7);
        expectObservable(pending.completed$).toBe("-------(m|)", l);
        // A subscriber after the fact gets it replayed.
        expectObservable(cold("---------(k|)").pipe(mergeMap(() => pending.completed$))).toBe("---------(m|)", l);
      });
    });

    it("delivers a completion that arrives after the claim, and ignores the other attempts'", () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const l = { o: loginCompleted("other"), m: loginCompleted("mine") };
        const source = hot("---o-m-|", l);
        const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
        const pending = router.captureLogin();
        testScheduler.schedule(() => pending.claim("mine"), 1);
        expectObservable(pending.completed$).toBe("-----(m|)", l);
      });
    });

    it("completes empty when the client closes before the completion, and errors when the wire dies", () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const closes = hot<Notification>("---|");
        const p1 = new NotificationRouter({ notifications$: closes, serverRequests$: NEVER }).captureLogin();
        testScheduler.schedule(() => p1.claim("mine"), 1);
        expectObservable(p1.completed$).toBe("---|");
        const dies = hot<Notification>("---#", {}, new Error("gone"));
        const p2 = new NotificationRouter({ notifications$: dies, serverRequests$: NEVER }).captureLogin();
        expectObservable(p2.completed$).toBe("---#", {}, new Error("gone"));
      });
    });

    it("keeps nothing once no attempt is waiting for its id", () => {
      const source = new Subject<Notification>();
      const router = new NotificationRouter({ notifications$: source, serverRequests$: EMPTY });
      const pending = router.captureLogin();
      source.next(loginCompleted("a"));
      pending.abandon();
      source.next(loginCompleted("b"));
      expect(router["logins"]["unclaimed"]).toEqual([]);
      expect(router["logins"]["byId"].size).toBe(0);
    });
  });
});

describe("NotificationRouter keeps notifications as they are", () => {
  it("adds no field to a routed notification and changes no value", () => {
    const source = new Subject<Notification>();
    const router = new NotificationRouter({ notifications$: source, serverRequests$: EMPTY });
    const capture = router.captureTurn("A").claim("t1");
    const started = turnStarted("A", "t1");
    const before = JSON.stringify(started);
    const piece = delta("A", "t1", "m1", "one");
    source.next(started);
    source.next(piece);
    expect(JSON.stringify(started)).toBe(before);
    expect(Object.keys(started.params)).toEqual(["threadId", "turn"]);
    expect(piece.params).toEqual({ threadId: "A", turnId: "t1", itemId: "m1", delta: "one" });
    expect(capture.size).toBe(2);
  });
});
