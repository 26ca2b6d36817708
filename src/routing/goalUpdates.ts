import { filter, map, type OperatorFunction } from "rxjs";
import type { ThreadGoal } from "../protocol/generated/index.js";
import { isNotification, type Notification } from "../protocol/notifications.js";
import { threadIdOf } from "./ids.js";

/**
 * The goal of one thread as it changes: the goal of each `thread/goal/updated`, and `null` for
 * each `thread/goal/cleared`, of that thread. Everything else is dropped.
 *
 * ```
 * source:  -u-x-v-c-|      (u, v = goal updates of the thread, x = anything else, c = cleared)
 * goalUpdates(threadId)
 * result:  -U---V-N-|      (U, V = their goals, N = null)
 * ```
 *
 * @param threadId the thread whose goal to follow
 * @returns an operator from notifications to `ThreadGoal | null`
 * @example
 * ```ts
 * codex.notifications$.pipe(goalUpdates(thread.id)).subscribe((goal) => console.log(goal?.status ?? "no goal"));
 * ```
 */
export function goalUpdates(threadId: string): OperatorFunction<Notification, ThreadGoal | null> {
  return (source) =>
    source.pipe(
      filter((n) => (n.method === "thread/goal/updated" || n.method === "thread/goal/cleared") && threadIdOf(n) === threadId),
      map((n) => (isNotification(n, "thread/goal/updated") ? n.params.goal : null)),
    );
}
