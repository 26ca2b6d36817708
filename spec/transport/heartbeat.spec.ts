import { TestScheduler } from "rxjs/testing";
import { heartbeat } from "../../src/advanced.js";
import { HeartbeatTimeoutError } from "../../src/index.js";
import { errorFields } from "../helpers/errorFields.js";

let scheduler: TestScheduler;

beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(errorFields(actual)).toEqual(errorFields(expected)));
});

const pings = { 1: 1, 2: 2, 3: 3, 4: 4 };

describe("heartbeat", () => {
  it("pings every interval while each ping is answered before the next tick", () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const alive = hot("--------a-----a-----a-----");
      const subs = "      ^------------------------!";
      const expected = "  ------1-----2-----3-----4-";
      expectObservable(heartbeat(alive, 6, scheduler), subs).toBe(expected, pings);
      expectSubscriptions(alive.subscriptions).toBe(subs);
    });
  });

  it("errors with HeartbeatTimeoutError at the first tick that finds the previous ping unanswered", () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const alive = hot("--------a-----------");
      const subs = "      ^-----------------!";
      const expected = "  ------1-----2-----#";
      expectObservable(heartbeat(alive, 6, scheduler)).toBe(expected, pings, new HeartbeatTimeoutError(6));
      expectSubscriptions(alive.subscriptions).toBe(subs);
    });
  });

  it("detects a peer that froze right after its last answer within two intervals", () => {
    scheduler.run(({ hot, expectObservable }) => {
      // Last answer at frame 13, right after ping 2; the error at 24 < 13 + 2 × 6.
      const alive = hot("--------a----a----------");
      const expected = "  ------1-----2-----3-----#";
      expectObservable(heartbeat(alive, 6, scheduler)).toBe(expected, pings, new HeartbeatTimeoutError(6));
    });
  });

  it("with an empty or a silent alive$: one ping, then the timeout at the second tick", () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(heartbeat(cold("|"), 6, scheduler)).toBe("------1-----#", pings, new HeartbeatTimeoutError(6));
      expectObservable(heartbeat(cold("-"), 6, scheduler)).toBe("------1-----#", pings, new HeartbeatTimeoutError(6));
    });
  });

  it("stops pinging and unsubscribes alive$ when unsubscribed", () => {
    scheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
      const alive = hot("-----------------");
      const subs = "      ^--------!       ";
      expectObservable(heartbeat(alive, 6, scheduler), subs).toBe("------1---", pings);
      expectSubscriptions(alive.subscriptions).toBe(subs);
    });
  });

  it("ignores an error of alive$ (no more answers) and times out as usual", () => {
    scheduler.run(({ hot, expectObservable }) => {
      const alive = hot("--------a--#");
      const expected = "  ------1-----2-----#";
      expectObservable(heartbeat(alive, 6, scheduler)).toBe(expected, pings, new HeartbeatTimeoutError(6));
    });
  });
});
