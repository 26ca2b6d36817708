import { NEVER, Subject } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import { NotificationRouter } from "../../src/routing/NotificationRouter.js";
import { n } from "./routerLetters.js";

// The letters (a/b/c, d/e/f, x/y/z, s, g) are in routerLetters.ts.

describe("NotificationRouter.threadEvents$", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("gives every notification of the thread in wire order: thread-scoped, held, captured and not ours; nothing of another thread", () => {
    testScheduler.run(({ hot, cold, expectObservable }) => {
      const source = hot("-a-s-x-b-g-y-c-d-e-f-|", n);
      const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
      const pending = router.captureTurn("A");
      // t1 is held until the claim at frame 8; t2 is nobody's turn (no watcher, no turn/start).
      cold("--------(k|)").subscribe(() => pending.claim("t1"));
      expectObservable(router.threadEvents$("A")).toBe("-a-s---b-----c-d-e-f-|", n);
      expectObservable(router.threadEvents$("B")).toBe("-----x---g-y---------|", n);
    });
  });

  it("reaches a turn already open when the thread is followed, from then on, after the turn's own capture", () => {
    const source = new Subject<Notification>();
    const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
    const capture = router.captureTurn("A").claim("t1");
    const order: string[] = [];
    capture.events$.subscribe((e) => order.push(`capture ${e.method}`));
    source.next(n.a);
    const follow = router.threadEvents$("A").subscribe((e) => order.push(`follower ${e.method}`));
    source.next(n.b);
    source.next(n.c);
    follow.unsubscribe();
    expect(order).toEqual(["capture turn/started", "capture item/agentMessage/delta", "follower item/agentMessage/delta", "capture turn/completed", "follower turn/completed"]);
  });

  it("stops at unsubscribe, and forgets the idle thread", () => {
    const source = new Subject<Notification>();
    const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
    const seen: Notification[] = [];
    const follow = router.threadEvents$("A").subscribe((e) => seen.push(e));
    const capture = router.captureTurn("A").claim("t1");
    source.next(n.a);
    follow.unsubscribe();
    source.next(n.b);
    source.next(n.s);
    expect(seen).toEqual([n.a]);
    expect(capture.thread.followers).toHaveLength(0);
    source.next(n.c);
    expect(router["threads"].size).toBe(0);
  });

  it("errors when the wire dies, completes when the client closes, and ends at once when subscribed after", () => {
    testScheduler.run(({ hot, expectObservable }) => {
      const dead = new NotificationRouter({ notifications$: hot("-s-#", n, new Error("gone")), serverRequests$: NEVER });
      expectObservable(dead.threadEvents$("A")).toBe("-s-#", n, new Error("gone"));
      const closed = new NotificationRouter({ notifications$: hot("-s-|", n), serverRequests$: NEVER });
      expectObservable(closed.threadEvents$("A")).toBe("-s-|", n);
    });
    const source = new Subject<Notification>();
    const router = new NotificationRouter({ notifications$: source, serverRequests$: NEVER });
    source.error(new Error("gone"));
    let error: unknown;
    router.threadEvents$("A").subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toEqual(new Error("gone"));
    expect(router["threads"].size).toBe(0);
  });
});
