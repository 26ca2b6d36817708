import type { ThreadGoal, ThreadGoalStatus } from "../protocol/generated/index.js";
import type { NotificationOf } from "../protocol/notifications.js";

// Builders of the goal notifications, shaped like the pinned app-server's, for unit
// and marble tests of code that follows goals. Timestamps are fixed.

/**
 * A goal as the server reports it.
 *
 * @param threadId the thread
 * @param status the goal's status
 * @param fields other fields to set (`objective`, `tokensUsed`, `tokenBudget`, …)
 * @returns the goal
 * @example
 * ```ts
 * threadGoal("th", "active", { tokensUsed: 12 })
 * ```
 */
export function threadGoal(threadId: string, status: ThreadGoalStatus, fields: Partial<ThreadGoal> = {}): ThreadGoal {
  return {
    threadId,
    objective: "the goal",
    status,
    tokenBudget: null,
    tokensUsed: 0,
    timeUsedSeconds: 0,
    createdAt: 1795526024,
    updatedAt: 1795526024,
    ...fields,
  };
}

/**
 * `thread/goal/updated`: the server sends one when the goal is set, paused or resumed (no
 * `turnId`) and after each turn that worked on it (with that `turnId`, before its `turn/completed`).
 *
 * @param threadId the thread
 * @param status the goal's new status
 * @param turnId the turn that changed it, or null
 * @param fields other goal fields
 * @returns the notification
 * @example
 * ```ts
 * cold("a-b|", { a: goalUpdated("th", "active"), b: goalUpdated("th", "complete", "t3") })
 * ```
 */
export function goalUpdated(threadId: string, status: ThreadGoalStatus, turnId: string | null = null, fields: Partial<ThreadGoal> = {}): NotificationOf<"thread/goal/updated"> {
  return { method: "thread/goal/updated", params: { threadId, turnId, goal: threadGoal(threadId, status, fields) } };
}

/**
 * `thread/goal/cleared`: the goal was removed.
 *
 * @param threadId the thread
 * @returns the notification
 * @example
 * ```ts
 * hot("-a-c-", { a: goalUpdated("th", "active"), c: goalCleared("th") })
 * ```
 */
export function goalCleared(threadId: string): NotificationOf<"thread/goal/cleared"> {
  return { method: "thread/goal/cleared", params: { threadId } };
}
