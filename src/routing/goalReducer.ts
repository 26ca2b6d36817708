import type { ThreadGoal, ThreadGoalStatus, TokenUsageBreakdown } from "../protocol/generated/index.js";
import { isNotification, type Notification } from "../protocol/notifications.js";
import { threadIdOf, turnIdOf } from "./ids.js";
import { initialTurnState, turnReducer, type TurnState } from "./turnReducer.js";

/** Where a goal stands: the server's {@link ThreadGoalStatus}, or `cleared` once it was removed. */
export type GoalStatus = ThreadGoalStatus | "cleared";

/**
 * A snapshot of one goal run, built from the thread's notifications by {@link goalReducer}:
 * the goal's latest value, and the turns that ran for it (the server's continuations, and any other
 * turn that started on the thread meanwhile). Immutable, like {@link TurnState}.
 */
export interface GoalState {
  /** The thread, from the first event folded in. */
  readonly threadId: string | null;
  /** The latest goal the server reported; kept after a clear (then `status` is `cleared`). */
  readonly goal: ThreadGoal | null;
  /** `null` until the first goal event; then the goal's status, or `cleared`. */
  readonly status: GoalStatus | null;
  /** The turns that finished, in order, each as its final {@link TurnState}. */
  readonly turns: readonly TurnState[];
  /** The turn running now, as its {@link TurnState} so far; `null` between turns. */
  readonly turn: TurnState | null;
  /** Tokens the goal's turns used: the sum of `last` of every `thread/tokenUsage/updated` of them. */
  readonly usage: TokenUsageBreakdown;
  /** The goal is not active (paused, complete, blocked, out of budget, cleared) and no turn runs. */
  readonly settled: boolean;
  /** Settled for good: nothing more will happen on this goal (settled and not `paused`). */
  readonly ended: boolean;
  /** How many events were folded in (ignored ones do not count). */
  readonly eventCount: number;
}

const noTokens: TokenUsageBreakdown = Object.freeze({
  inputTokens: 0,
  cachedInputTokens: 0,
  outputTokens: 0,
  reasoningOutputTokens: 0,
  totalTokens: 0,
});

/** The seed of {@link goalReducer}: nothing seen yet. */
export const initialGoalState: GoalState = Object.freeze({
  threadId: null,
  goal: null,
  status: null,
  turns: Object.freeze([]) as readonly TurnState[],
  turn: null,
  usage: noTokens,
  settled: false,
  ended: false,
  eventCount: 0,
});

/**
 * Folds one notification of a thread into the state of the goal running on it. Pure: no I/O, no
 * clock, never mutates `state`. `thread/goal/updated` and `thread/goal/cleared` move the goal;
 * `turn/started` opens a turn, whose events are folded by {@link turnReducer} until its
 * `turn/completed`. Anything else (another thread, a turn that started before the goal run, a
 * thread-level notification) returns `state` itself, unchanged: a caller can tell "ignored" by
 * identity. The same function drives `reduce` (→ `GoalResult` for `goal.run()`) and `scan`
 * (→ `goal.progress$`).
 *
 * @param state the state so far (start from {@link initialGoalState})
 * @param event one notification of the thread
 * @returns the next state, or `state` when the event is not the goal's
 * @example
 * ```ts
 * goal.events$.pipe(scan(goalReducer, initialGoalState)).subscribe((s) => render(s.status, s.turns.length, s.turn?.text));
 * ```
 */
export function goalReducer(state: GoalState, event: Notification): GoalState {
  const threadId = threadIdOf(event);
  if (threadId === undefined || (state.threadId !== null && threadId !== state.threadId)) return state;
  if (isNotification(event, "thread/goal/updated")) {
    const { goal } = event.params;
    return settle({ ...state, threadId, goal, status: goal.status, eventCount: state.eventCount + 1 });
  }
  if (isNotification(event, "thread/goal/cleared")) {
    return settle({ ...state, threadId, status: "cleared", eventCount: state.eventCount + 1 });
  }
  if (isNotification(event, "turn/started")) {
    // One turn runs at a time on a thread; one left open (its end never came) is kept as it was.
    const turns = state.turn === null ? state.turns : [...state.turns, state.turn];
    const turn = turnReducer(initialTurnState, event);
    return settle({ ...state, threadId, turns, turn, eventCount: state.eventCount + 1 });
  }
  const turnId = turnIdOf(event);
  const running = state.turn;
  if (running === null || turnId === undefined || turnId !== running.turnId) return state;
  const turn = turnReducer(running, event);
  const usage = isNotification(event, "thread/tokenUsage/updated") ? addTokens(state.usage, event.params.tokenUsage.last) : state.usage;
  if (turn.completed) {
    return settle({ ...state, turns: [...state.turns, turn], turn: null, usage, eventCount: state.eventCount + 1 });
  }
  return { ...state, turn, usage, eventCount: state.eventCount + 1 };
}

/** Recomputes `settled` and `ended` from the status and the running turn. */
function settle(state: GoalState): GoalState {
  const settled = state.status !== null && state.status !== "active" && state.turn === null;
  return { ...state, settled, ended: settled && state.status !== "paused" };
}

function addTokens(a: TokenUsageBreakdown, b: TokenUsageBreakdown): TokenUsageBreakdown {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    cachedInputTokens: a.cachedInputTokens + b.cachedInputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningOutputTokens: a.reasoningOutputTokens + b.reasoningOutputTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}
