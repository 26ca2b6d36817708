import type { ThreadGoal, ThreadGoalStatus } from "../protocol/generated/index.js";
import type { NotificationOf } from "../protocol/notifications.js";
import type { FakeState, MethodReply, MethodTable } from "./fakeMethods.js";
import type { FakeTurnRun } from "./fakeTurnRun.js";

// Thread goals on the fake app-server, after the real server's behaviour (APP-SERVER-NOTES,
// "Goals"): `thread/goal/set` answers the goal and, while it is active, the server starts turns
// by itself; each continuation ends with `thread/goal/updated` (its turnId, tokens and time), and
// the next one starts. The fake starts a continuation only while a scripted turn is queued
// (`server.enqueue`), so a test decides how many there are; `FakeTurn.goal` sets the status
// after a turn (`complete` ends the goal, as the model's `update_goal` call does).

/** The state the goal methods need besides the shared one. */
export interface GoalState extends FakeState {
  readonly goals: Map<string, ThreadGoal>;
  /** Starts the next continuation of a thread's active goal, when a turn is queued and none runs. */
  continueGoal(threadId: string): void;
}

function updated(goal: ThreadGoal, turnId: string | null): NotificationOf<"thread/goal/updated"> {
  return { method: "thread/goal/updated", params: { threadId: goal.threadId, turnId, goal } };
}

/** The goal methods: set (create or change status), get, clear. */
export function goalMethods(state: GoalState): MethodTable {
  const now = (): number => Math.floor(state.scheduler.now() / 1000);
  const unknownThread = (threadId: string): MethodReply | undefined =>
    state.threads.has(threadId) ? undefined : { error: { code: -32600, message: `thread not found: ${threadId}` } };
  return {
    "thread/goal/set": (params) => {
      const refused = unknownThread(params.threadId);
      if (refused !== undefined) return refused;
      const current = state.goals.get(params.threadId);
      const status: ThreadGoalStatus = params.status ?? (params.objective != null ? "active" : (current?.status ?? "active"));
      const goal: ThreadGoal =
        params.objective != null || current === undefined
          ? { threadId: params.threadId, objective: params.objective ?? "", status, tokenBudget: params.tokenBudget ?? null, tokensUsed: 0, timeUsedSeconds: 0, createdAt: now(), updatedAt: now() }
          : { ...current, status, ...(params.tokenBudget !== undefined ? { tokenBudget: params.tokenBudget } : {}), updatedAt: now() };
      state.goals.set(params.threadId, goal);
      if (status === "active") state.scheduler.schedule(() => state.continueGoal(params.threadId));
      return { result: { goal } };
    },
    "thread/goal/get": (params) => unknownThread(params.threadId) ?? { result: { goal: state.goals.get(params.threadId) ?? null } },
    "thread/goal/clear": (params) => {
      const refused = unknownThread(params.threadId);
      if (refused !== undefined) return refused;
      const cleared = state.goals.delete(params.threadId);
      return { result: { cleared }, then: cleared ? [{ method: "thread/goal/cleared", params: { threadId: params.threadId } }] : [] };
    },
  };
}

/**
 * After a turn on a thread with an active goal: counts the turn against the goal, applies the
 * script's `goal` status, and returns the `thread/goal/updated` to send (undefined without a goal).
 */
export function goalAfterTurn(state: GoalState, run: FakeTurnRun, durationMs: number): NotificationOf<"thread/goal/updated"> | undefined {
  const goal = state.goals.get(run.threadId);
  if (goal === undefined || goal.status !== "active") return undefined;
  const next: ThreadGoal = {
    ...goal,
    status: run.script.goal ?? goal.status,
    tokensUsed: goal.tokensUsed + run.tokens,
    timeUsedSeconds: goal.timeUsedSeconds + Math.floor(durationMs / 1000),
    updatedAt: Math.floor(state.scheduler.now() / 1000),
  };
  state.goals.set(run.threadId, next);
  return updated(next, run.id);
}
