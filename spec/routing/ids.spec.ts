import { paramsOf, rootTurnIdIn, threadIdIn, threadIdOf, turnIdIn, turnIdOf } from "../../src/routing/ids.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { delta, turnCompleted, turnStarted, warning } from "../helpers/events.js";

const unknown = (params: unknown): Notification => ({ method: "future/thing", params }) as Notification;

describe("turnIdOf / threadIdOf", () => {
  it("read params.turnId / params.threadId, else params.turn.id / params.thread.id", () => {
    expect([turnIdOf(delta("th", "A", "m1", "a")), threadIdOf(delta("th", "A", "m1", "a"))]).toEqual(["A", "th"]);
    expect([turnIdOf(turnStarted("th", "A")), threadIdOf(turnStarted("th", "A"))]).toEqual(["A", "th"]);
    expect(turnIdOf(turnCompleted("th", "B"))).toBe("B");
    expect(threadIdOf(unknown({ thread: { id: "T" } }))).toBe("T");
    expect(turnIdOf(unknown({ turnId: "direct", turn: { id: "nested" } }))).toBe("direct");
  });

  it("give undefined for notifications not scoped, params that are not objects, and ids that are not strings", () => {
    expect([turnIdOf(warning("global")), threadIdOf(warning("global"))]).toEqual([undefined, undefined]);
    for (const params of [null, undefined, "th", 7]) expect([turnIdOf(unknown(params)), threadIdOf(unknown(params))]).toEqual([undefined, undefined]);
    expect(turnIdOf(unknown({ turnId: 1, turn: { id: 2 } }))).toBeUndefined();
    expect(threadIdOf(unknown({ thread: null }))).toBeUndefined();
  });
});

describe("paramsOf / turnIdIn / threadIdIn (the router's one read of params)", () => {
  it("give the same ids as turnIdOf / threadIdOf from params read once", () => {
    const notifications = [delta("th", "A", "m1", "a"), turnStarted("th", "A"), warning("global"), unknown({ thread: { id: "T" }, turn: { id: "U" } })];
    for (const n of notifications) {
      const params = paramsOf(n);
      expect(params).toBe(n.params);
      if (params === undefined) continue;
      expect([turnIdIn(params), threadIdIn(params)]).toEqual([turnIdOf(n), threadIdOf(n)]);
    }
    expect(paramsOf(unknown(null))).toBeUndefined();
    expect(paramsOf(unknown("x"))).toBeUndefined();
  });
});

describe("rootTurnIdIn", () => {
  it("names the root of a child turn (a review's), and nothing for a turn that is its own root", () => {
    expect(rootTurnIdIn({ turn: { id: "child", rootTurnId: "root" } })).toBe("root");
    expect(rootTurnIdIn({ turn: { id: "same", rootTurnId: "same" } })).toBeUndefined();
    expect(rootTurnIdIn({ turn: { id: "A", rootTurnId: null } })).toBeUndefined();
    expect(rootTurnIdIn({ turnId: "A" })).toBeUndefined();
  });
});
