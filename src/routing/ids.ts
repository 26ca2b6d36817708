import type { Notification } from "../protocol/notifications.js";

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : undefined;
}

/** `params[key]` when it is a string, else `params[nested].id`. */
function scopedId(n: Notification, key: "turnId" | "threadId", nested: "turn" | "thread"): string | undefined {
  const params = record(n.params);
  if (params === undefined) return undefined;
  const direct = params[key];
  if (typeof direct === "string") return direct;
  const id = record(params[nested])?.["id"];
  return typeof id === "string" ? id : undefined;
}

/**
 * The turn a notification belongs to: `params.turnId`, else `params.turn.id` (as in `turn/started`
 * and `turn/completed`). Works on unknown methods too, so future notifications route correctly.
 *
 * @param n any notification
 * @returns the turn id, or undefined for notifications not scoped to a turn
 */
export function turnIdOf(n: Notification): string | undefined {
  return scopedId(n, "turnId", "turn");
}

/**
 * The thread a notification belongs to: `params.threadId`, else `params.thread.id` (`thread/started`).
 *
 * @param n any notification
 * @returns the thread id, or undefined for global notifications (`configWarning`, `account/updated`, …)
 */
export function threadIdOf(n: Notification): string | undefined {
  return scopedId(n, "threadId", "thread");
}
