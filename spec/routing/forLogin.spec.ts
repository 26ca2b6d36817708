import { TestScheduler } from "rxjs/testing";
import { forLogin } from "../../src/routing/forLogin.js";
import { loginIdOf } from "../../src/routing/loginIdOf.js";
import type { Notification, NotificationOf } from "../../src/protocol/notifications.js";
import { warning } from "../helpers/events.js";

function completed(loginId: string | null, success: boolean, error: string | null = null): NotificationOf<"account/login/completed"> {
  return { method: "account/login/completed", params: { loginId, success, error, onboardingEntrypoint: null } };
}

describe("forLogin", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  // As the 0.169.0 server sends them: A was replaced by B ("Login cancelled"), B was cancelled,
  // C runs concurrently and succeeds, k is an API-key login (loginId null).
  const values: Record<string, Notification> = {
    a: completed("A", false, "Login server error: Login cancelled"),
    b: completed("B", false, "Login server error: Login was not completed"),
    c: completed("C", true),
    k: completed(null, true),
    u: { method: "account/updated", params: { authMode: "apikey", planType: null } },
    g: warning("global"),
  };

  describe("with a known id", () => {
    it("emits the completion of its login, then completes and unsubscribes", () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot("  -g-u-b-c-|", values);
        const sourceSubs = "  ^----!    ";
        const expected = "    -----(b|) ";
        expectObservable(source.pipe(forLogin("B"))).toBe(expected, values);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("never passes the completion of an API-key login (loginId null) or other notifications", () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot("  -k-u-g-|", values);
        const sourceSubs = "  ^------!";
        const expected = "    -------|";
        expectObservable(source.pipe(forLogin("B"))).toBe(expected, values);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("keeps concurrent attempts apart", () => {
      testScheduler.run(({ hot, expectObservable, expectSubscriptions }) => {
        const source = hot("  -c-a-b-|", values);
        const expected = {
          A: "                ---(a|)  ",
          B: "                -----(b|)",
          C: "                -(c|)    ",
        };
        expectObservable(source.pipe(forLogin("A"))).toBe(expected.A, values);
        expectObservable(source.pipe(forLogin("B"))).toBe(expected.B, values);
        expectObservable(source.pipe(forLogin("C"))).toBe(expected.C, values);
        expectSubscriptions(source.subscriptions).toBe(["^--!", "^----!", "^!"]);
      });
    });
  });

  describe("with an id known later (subscribe first, send second)", () => {
    it("keeps a completion that arrives before the start response names the login", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        const source = hot("  -b-g-------|", values);
        const sourceSubs = "  ^----!      ";
        const loginId$ = cold("-----(B|)  ");
        const idSubs = "      ^----!      ";
        const expected = "    -----(b|)   ";
        expectObservable(source.pipe(forLogin(loginId$))).toBe(expected, values);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
        expectSubscriptions(loginId$.subscriptions).toBe(idSubs);
      });
    });

    it("drops the completion of the attempt it replaced, buffered or live", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        // A's "Login cancelled" arrives while B's start is in flight, and again (say, a
        // duplicate) after; neither may settle B.
        const source = hot("  -a---a-b-|", values);
        const sourceSubs = "  ^------!  ";
        const loginId$ = cold("---(B|)   ");
        const expected = "    -------(b|)";
        expectObservable(source.pipe(forLogin(loginId$))).toBe(expected, values);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("keeps concurrent attempts apart while both ids are still unknown", () => {
      testScheduler.run(({ hot, cold, expectObservable }) => {
        const source = hot("  -c-a-----|", values);
        const idA = cold("    ------(A|)");
        const idC = cold("    ----(C|)  ");
        expectObservable(source.pipe(forLogin(idA))).toBe("------(a|)", values);
        expectObservable(source.pipe(forLogin(idC))).toBe("----(c|)  ", values);
      });
    });

    it("accepts a Promise of the id", async () => {
      const { Subject } = await import("rxjs");
      const source = new Subject<Notification>();
      const seen: Notification[] = [];
      let done = false;
      let resolve!: (id: string) => void;
      const id = new Promise<string>((r) => (resolve = r));
      source.pipe(forLogin(id)).subscribe({ next: (n) => seen.push(n), complete: () => (done = true) });
      source.next(values["a"] as Notification);
      source.next(values["b"] as Notification);
      resolve("B");
      await id;
      expect(seen).toEqual([values["b"]]);
      expect(done).toBe(true);
    });

    it("errors when the id errors (the start request failed), dropping what it buffered", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        const source = hot("  -b-g-|", values);
        const sourceSubs = "  ^--!  ";
        const loginId$ = cold("---# ", undefined, new Error("account/login/start failed"));
        expectObservable(source.pipe(forLogin(loginId$))).toBe("---#", undefined, new Error("account/login/start failed"));
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("completes empty when the id completes without a value", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        const source = hot("  -b-g-|", values);
        const sourceSubs = "  ^--!  ";
        const loginId$ = cold("---| ");
        expectObservable(source.pipe(forLogin(loginId$))).toBe("---|");
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });

    it("waits for the id when the source completes first, then completes", () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold(" -b|", values);
        const sourceSubs = "  ^-!";
        const loginId$ = cold("----(B|)");
        expectObservable(source.pipe(forLogin(loginId$))).toBe("----(b|)", values);
        expectSubscriptions(source.subscriptions).toBe(sourceSubs);
      });
    });
  });

  describe("edge cases", () => {
    it("completes when the source is empty", () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<Notification>("|");
        expectObservable(source.pipe(forLogin("B"))).toBe("|");
        expectSubscriptions(source.subscriptions).toBe("(^!)");
      });
    });

    it("never emits for a source that never emits", () => {
      testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
        const source = cold<Notification>("-");
        expectObservable(source.pipe(forLogin("B"))).toBe("-");
        expectObservable(source.pipe(forLogin(cold<string>("-")))).toBe("-");
        expectSubscriptions(source.subscriptions).toBe(["^", "^"]);
      });
    });

    it("passes an error of the source through (the wire died)", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        const source = hot("  -a-#", values, new Error("wire died"));
        expectObservable(source.pipe(forLogin("B"))).toBe("---#", undefined, new Error("wire died"));
        expectObservable(source.pipe(forLogin(cold("-(B|)")))).toBe("---#", undefined, new Error("wire died"));
        expectSubscriptions(source.subscriptions).toBe(["^--!", "^--!"]);
      });
    });

    it("unsubscribes from the source and the id on early unsubscribe", () => {
      testScheduler.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
        const source = hot("  -a-g-g-b-|", values);
        const loginId$ = cold("-------(B|)");
        const unsub = "       ^----!     ";
        expectObservable(source.pipe(forLogin(loginId$)), unsub).toBe("------");
        expectSubscriptions(source.subscriptions).toBe("^----!");
        expectSubscriptions(loginId$.subscriptions).toBe("^----!");
      });
    });

    it("treats the id string as one id, not as an iterable of characters", () => {
      testScheduler.run(({ hot, expectObservable }) => {
        const source = hot("-a-b-|", { a: completed("AB", true), b: completed("A", true) });
        expectObservable(source.pipe(forLogin("AB"))).toBe("-(a|)", { a: completed("AB", true) });
      });
    });
  });
});

describe("loginIdOf", () => {
  it("is the loginId of an interactive login's completion, else undefined", () => {
    expect(loginIdOf(completed("B", true))).toBe("B");
    expect(loginIdOf(completed(null, true))).toBeUndefined();
    expect(loginIdOf(warning("x"))).toBeUndefined();
    expect(loginIdOf({ method: "future/login", params: { loginId: "B" } })).toBeUndefined();
  });
});
