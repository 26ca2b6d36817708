import { takeUntil } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { watch$ } from "../../../src/client/commands/watch.js";
import { ConnectionLostError, InvalidInputError, JsonRpcError } from "../../../src/errors/index.js";
import type { Notification } from "../../../src/protocol/notifications.js";
import { marbleContext } from "../../helpers/workMarbles.js";

const changed = (watchId: string, ...changedPaths: string[]): Notification => ({ method: "fs/changed", params: { watchId, changedPaths } });

describe("watch$", () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("watches on subscribe, emits the changes of its own watch id, unwatches on unsubscribe", () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const wire = hot("   --a-b-c---", { a: changed("w1", "/r/x"), b: changed("w9", "/r/y"), c: changed("w1", "/r/z", "/r/x") });
      const answer = cold("-(k|)", { k: { path: "/r" } });
      const { ctx, sent } = marbleContext(ts, wire, { "fs/watch": answer });
      expectObservable(watch$(ctx, "/r"), "^-------!").toBe("--a---c-", { a: { changedPaths: ["/r/x"] }, c: { changedPaths: ["/r/z", "/r/x"] } });
      expectSubscriptions(answer.subscriptions).toBe("^!");
      ts.flush();
      expect(sent.map((s) => [s.method, s.params, s.at])).toEqual([
        ["fs/watch", { path: "/r", watchId: "w1" }, 0],
        ["fs/unwatch", { watchId: "w1" }, 8],
      ]);
    });
  });

  it("unsubscribed before fs/watch answers, unwatches only once it has (an unwatch never overtakes its watch)", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "fs/watch": cold("-----(k|)", { k: { path: "/r" } }) });
      expectObservable(watch$(ctx, "/r"), "^-!").toBe("---");
      ts.flush();
      expect(sent.map((s) => [s.method, s.at])).toEqual([["fs/watch", 0], ["fs/unwatch", 5]]);
    });
  });

  it("gives each subscription its own watch", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const wire = hot("--a-b-", { a: changed("w1", "/r/1"), b: changed("w2", "/r/2") });
      const { ctx } = marbleContext(ts, wire, { "fs/watch": cold("(k|)", { k: { path: "/r" } }) });
      expectObservable(watch$(ctx, "/r")).toBe("--a---", { a: { changedPaths: ["/r/1"] } });
      expectObservable(watch$(ctx, "/r")).toBe("----b-", { b: { changedPaths: ["/r/2"] } });
    });
  });

  it("is stopped by takeUntil", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot("-a-a-a", { a: changed("w1", "/r/x") }), { "fs/watch": cold("(k|)", { k: { path: "/r" } }) });
      expectObservable(watch$(ctx, "/r").pipe(takeUntil(hot("--s")))).toBe("-a|", { a: { changedPaths: ["/r/x"] } });
      ts.flush();
      expect(sent.map((s) => [s.method, s.at])).toEqual([["fs/watch", 0], ["fs/unwatch", 2]]);
    });
  });

  it("refuses a relative path before anything is sent", () => {
    ts.run(({ hot, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), {});
      expectObservable(watch$(ctx, "src/app")).toBe("#", undefined, expect.any(InvalidInputError));
      ts.flush();
      expect(sent).toEqual([]);
    });
  });

  it("errors when the server refuses the watch, and sends no unwatch", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const refused = JsonRpcError.from({ code: -32600, message: "watchId already exists: w1" }, { method: "fs/watch" });
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "fs/watch": cold("-#", undefined, refused) }, { closed: false });
      expectObservable(watch$(ctx, "/r")).toBe("-#", undefined, refused);
      ts.flush();
      expect(sent.map((s) => s.method)).toEqual(["fs/watch"]);
    });
  });

  it("errors with the connection's error when it drops or ends", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const lost = new ConnectionLostError("fs/watch");
      const { ctx } = marbleContext(ts, hot<Notification>("---#", undefined, lost), { "fs/watch": cold("(k|)", { k: { path: "/r" } }) }, { closed: true });
      expectObservable(watch$(ctx, "/r")).toBe("---#", undefined, lost);
    });
  });
});
