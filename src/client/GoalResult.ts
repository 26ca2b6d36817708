import type { ThreadGoal, TokenUsageBreakdown } from "../protocol/generated/index.js";
import { GoalIncompleteError } from "../errors/index.js";
import type { GoalState, GoalStatus } from "../routing/goalReducer.js";
import type { TurnState } from "../routing/turnReducer.js";
import { resultOf, type TurnResult } from "./TurnResult.js";

/** What `goal.run()` returns once the goal stopped running. */
export interface GoalResult {
  /** Why it stopped: `complete`, `paused`, `blocked`, `budgetLimited`, `usageLimited`, or `cleared`. */
  readonly status: GoalStatus;
  /** The goal as the server last reported it (its `tokensUsed`, `timeUsedSeconds`, …); kept after a clear. */
  readonly goal: ThreadGoal | null;
  /**
   * Every turn that ran for the goal, in order. A turn that failed is here with `status: "failed"`
   * and its `error` (the server then marks the goal `blocked`); an interrupted one with
   * `interrupted`.
   */
  readonly turns: readonly TurnResult[];
  /** Tokens the goal's turns used, summed over their model requests. */
  readonly usage: TokenUsageBreakdown;
  /** Wall time from sending `thread/goal/set` to the goal stopping. */
  readonly durationMs: number;
}

/**
 * The last step of `goal.run()`: a settled {@link GoalState} as a {@link GoalResult}.
 *
 * @param state a state whose `settled` is true
 * @param durationMs the wall time the run took
 * @returns the result
 * @throws {GoalIncompleteError} when the state is not settled
 * @example
 * ```ts
 * const result = toGoalResult(events.reduce(goalReducer, initialGoalState), 0);
 * ```
 */
export function toGoalResult(state: GoalState, durationMs: number): GoalResult {
  if (!state.settled || state.status === null) throw new GoalIncompleteError(state.threadId, state.status);
  return {
    status: state.status,
    goal: state.goal,
    turns: state.turns.map(goalTurnResult),
    usage: state.usage,
    durationMs,
  };
}

/** A finished turn of a goal as a {@link TurnResult}; unlike `turn.run()`, a failed turn is kept, not thrown. */
function goalTurnResult(turn: TurnState): TurnResult {
  return resultOf(turn, turn.turnId ?? "", turn.status ?? "failed");
}
