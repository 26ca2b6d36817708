import type { Notification } from "../protocol/notifications.js";
import type { TurnCapture } from "./TurnCapture.js";

/** Method names seen, each kept once (bounded: the protocol has about a hundred). */
const methodNames = new Map<string, string>();

/**
 * @internal A kept notification shares its turn's strings: its `method`, `params.threadId`,
 * `params.turnId` (`params.turn.id`) and `params.itemId` are equal to strings already held (by the
 * capture, or here for method names), but JSON.parse makes a fresh copy of each per line. Swapping
 * in the held copy where the field is there (same value: nothing observable changes) shrinks what
 * a turn's replay keeps per delta by more than half, and with it the GC's work.
 *
 * @param n a notification of the capture's turn, about to be kept
 * @param capture the turn's capture
 * @returns `n`, its id strings swapped for the held copies
 */
export function intern(n: Notification, capture: TurnCapture): Notification {
  const w = n as { method: string; params: Record<string, unknown> };
  const method = methodNames.get(w.method);
  if (method !== undefined) w.method = method;
  else if (methodNames.size < 1024) methodNames.set(w.method, w.method);
  const p = w.params;
  if (p["threadId"] === capture.threadId) p["threadId"] = capture.threadId;
  if (p["turnId"] === capture.turnId) p["turnId"] = capture.turnId;
  // turn/started and turn/completed name the turn in params.turn.id: the reducer keeps that copy
  // as TurnState.turnId and compares every later event's id with it (by pointer, once shared).
  const turn = p["turn"];
  if (turn !== null && typeof turn === "object" && (turn as Record<string, unknown>)["id"] === capture.turnId) (turn as Record<string, unknown>)["id"] = capture.turnId;
  // Consecutive notifications of one item (its deltas) share one copy of its id.
  const itemId = p["itemId"];
  if (typeof itemId === "string") {
    if (itemId !== capture.sharedItemId) capture.sharedItemId = itemId;
    p["itemId"] = capture.sharedItemId;
  }
  return n;
}
