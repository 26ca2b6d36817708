import { goalReducer, initialGoalState, type GoalState } from "../../src/routing/goalReducer.js";
import { toGoalResult } from "../../src/client/GoalResult.js";
import { GoalIncompleteError } from "../../src/errors/index.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { goalCleared, goalUpdated, turnEvents } from "../../src/testing/index.js";
import { delta, statusChanged, turnStarted } from "../helpers/events.js";

const fold = (events: readonly Notification[], seed: GoalState = initialGoalState): GoalState => events.reduce(goalReducer, seed);

/** A continuation turn as the server sends it: the goal update comes before turn/completed. */
function continuation(turnId: string, status: "active" | "complete" | "budgetLimited" | "blocked", answer: string[] = ["ok"]): Notification[] {
  const turn = turnEvents({ threadId: "th", turnId, answer, status: status === "blocked" ? "failed" : "completed" });
  return [...turn.slice(0, -1), goalUpdated("th", status, turnId, { tokensUsed: 11 }), turn[turn.length - 1] as Notification];
}

describe("goalReducer", () => {
  it("starts with nothing known and not settled", () => {
    expect(initialGoalState).toMatchObject({ goal: null, status: null, turns: [], turn: null, settled: false, ended: false, eventCount: 0 });
  });

  it("follows a goal over three continuation turns to complete", () => {
    const state = fold([goalUpdated("th", "active"), ...continuation("t1", "active"), ...continuation("t2", "active"), ...continuation("t3", "complete", ["done"])]);
    expect(state.status).toBe("complete");
    expect(state.turns.map((t) => [t.turnId, t.status, t.finalResponse])).toEqual([
      ["t1", "completed", "ok"],
      ["t2", "completed", "ok"],
      ["t3", "completed", "done"],
    ]);
    expect(state.turn).toBeNull();
    expect(state.settled).toBe(true);
    expect(state.ended).toBe(true);
    expect(state.usage).toEqual({ inputTokens: 30, cachedInputTokens: 0, outputTokens: 3, reasoningOutputTokens: 0, totalTokens: 33 });
  });

  it("is not settled while the turn in flight runs, even once the goal is complete", () => {
    const events = continuation("t1", "complete");
    const beforeEnd = fold([goalUpdated("th", "active"), ...events.slice(0, -1)]);
    expect(beforeEnd.status).toBe("complete");
    expect(beforeEnd.turn?.turnId).toBe("t1");
    expect(beforeEnd.settled).toBe(false);
    expect(goalReducer(beforeEnd, events[events.length - 1] as Notification).settled).toBe(true);
  });

  it("a pause settles without ending; a resume unsettles", () => {
    const paused = fold([goalUpdated("th", "active"), ...continuation("t1", "active"), goalUpdated("th", "paused")]);
    expect(paused).toMatchObject({ status: "paused", settled: true, ended: false });
    const resumed = goalReducer(paused, goalUpdated("th", "active"));
    expect(resumed).toMatchObject({ status: "active", settled: false, ended: false });
  });

  it("a clear ends the goal as cleared once the turn in flight is over, keeping the last goal", () => {
    const turn = turnEvents({ threadId: "th", turnId: "t1" });
    const cleared = fold([goalUpdated("th", "active", null, { objective: "x" }), ...turn.slice(0, 3), goalCleared("th")]);
    expect(cleared).toMatchObject({ status: "cleared", settled: false });
    const done = fold(turn.slice(3), cleared);
    expect(done).toMatchObject({ status: "cleared", settled: true, ended: true, goal: { objective: "x" } });
  });

  it("keeps a failed turn with its error; the goal is blocked", () => {
    const state = fold([goalUpdated("th", "active"), ...continuation("t1", "blocked")]);
    expect(state.status).toBe("blocked");
    expect(state.turns[0]?.status).toBe("failed");
    const result = toGoalResult(state, 5);
    expect(result.turns[0]).toMatchObject({ id: "t1", status: "failed" });
    expect(result).toMatchObject({ status: "blocked", durationMs: 5 });
  });

  it("returns the state itself for what is not the goal's: another thread, a turn already running, thread-level events", () => {
    const state = fold([goalUpdated("th", "active"), turnStarted("th", "t1")]);
    for (const n of [goalUpdated("other", "complete"), turnStarted("other", "x"), delta("th", "old", "m", "x"), statusChanged("th", "idle"), delta("other", "t1", "m", "x")]) {
      expect(goalReducer(state, n)).toBe(state);
    }
    expect(goalReducer(initialGoalState, { method: "configWarning", params: { summary: "x", details: null } })).toBe(initialGoalState);
  });

  it("folds the running turn's events with turnReducer (live text)", () => {
    const state = fold([goalUpdated("th", "active"), ...turnEvents({ threadId: "th", turnId: "t1", answer: ["He", "llo"] }).slice(0, 5)]);
    expect(state.turn?.text).toBe("He");
    expect(goalReducer(state, delta("th", "t1", "msg_t1", "llo")).turn?.text).toBe("Hello");
  });

  it("never mutates its input", () => {
    const state = fold([goalUpdated("th", "active")]);
    const copy = JSON.stringify(state);
    fold(continuation("t1", "complete"), state);
    expect(JSON.stringify(state)).toBe(copy);
  });
});

describe("toGoalResult", () => {
  it("refuses a state that is not settled with GoalIncompleteError", () => {
    const running = fold([goalUpdated("th", "active")]);
    expect(() => toGoalResult(running, 0)).toThrow(GoalIncompleteError);
    expect(() => toGoalResult(initialGoalState, 0)).toThrow(/not yet reported/);
  });
});
