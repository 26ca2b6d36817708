import type { ErrorNotification, ThreadItem, ThreadTokenUsage, TurnError, TurnStatus } from "../protocol/generated/index.js";

export { finalResponseOf };
import { TurnFailedError, TurnIncompleteError } from "../errors/index.js";
import { finalResponseOf } from "../routing/finalResponseOf.js";
import type { TurnState } from "../routing/turnReducer.js";

/**
 * What `run()` returns: the turn's metadata, its final answer, every completed item and the usage.
 * `T` is the type of {@link TurnResult.structuredOutput} (from a zod `outputSchema`).
 */
export interface TurnResult<T = unknown> {
  readonly id: string;
  /**
   * `completed` or `interrupted` (a `failed` turn throws {@link TurnFailedError} instead); in a
   * `GoalResult`, whose turns never throw, also `failed`, with `error` set.
   */
  readonly status: TurnStatus;
  readonly error: TurnError | null;
  /** Unix time in seconds, as the server reports it. */
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
  /**
   * The text of the last completed agent message whose phase is `final_answer`; failing that, the
   * last phase-less agent message; else `null`.
   */
  readonly finalResponse: string | null;
  /** Every item completed in the turn, in order. */
  readonly items: readonly ThreadItem[];
  readonly usage: ThreadTokenUsage | null;
  /** Every `error` notification of the turn, in order, with `willRetry` (server-side retries included). */
  readonly errors: readonly ErrorNotification[];
  /**
   * With an `outputSchema` on the turn: `finalResponse` parsed as JSON (and validated, when the
   * schema is a zod schema). Without one: `null`.
   */
  readonly structuredOutput: T | null;
  /**
   * The review's text when the turn was a code review (`thread.review()`, `review/start`): the
   * `exitedReviewMode` item's `review`. Otherwise `null`.
   */
  readonly review: string | null;
}

/**
 * The last step of `run()`: turns the reduced {@link TurnState} into a {@link TurnResult}.
 *
 * @param state the state after the turn's last event
 * @returns the result of a completed or interrupted turn
 * @throws {TurnIncompleteError} when `turn/completed` was never seen
 * @throws {TurnFailedError} when the turn ended `failed`
 * @example
 * ```ts
 * const result = await lastValueFrom(events$.pipe(reduce(turnReducer, initialTurnState), map(toTurnResult)));
 * ```
 */
export function toTurnResult(state: TurnState): TurnResult {
  if (!state.completed || state.turnId === null || state.status === null) throw new TurnIncompleteError(state.turnId);
  if (state.status === "failed") throw new TurnFailedError(state.turnId, state.error);
  return resultOf(state, state.turnId, state.status);
}

/**
 * @internal A turn's state as a {@link TurnResult}, with the id and status the caller settled on
 * (`toTurnResult` insists on a completed turn; a goal keeps its failed turns too).
 *
 * @param state the folded turn
 * @param id the turn's id
 * @param status its final status
 * @returns the result
 */
export function resultOf(state: TurnState, id: string, status: TurnStatus): TurnResult {
  return {
    id,
    status,
    error: state.error,
    startedAt: state.startedAt,
    completedAt: state.completedAt,
    durationMs: state.durationMs,
    finalResponse: finalResponseOf(state.items),
    items: state.items,
    usage: state.usage,
    errors: state.errors,
    structuredOutput: null,
    review: reviewOf(state.items),
  };
}

/** The text of the last `exitedReviewMode` item, or null. */
function reviewOf(items: readonly ThreadItem[]): string | null {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item?.type === "exitedReviewMode") return item.review;
  }
  return null;
}
