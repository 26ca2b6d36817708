import { takeWhile, type MonoTypeOperatorFunction } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { turnIdOf } from "./ids.js";

/**
 * Mirrors the source up to and including the `turn/completed` of `turnId`, then completes.
 * Notifications of other turns pass (pair it with `forTurn` to get one turn's events).
 *
 * ```
 * source:  -s-d-d-c-x-|      (c = turn/completed of the turn)
 * untilTurnCompleted(id)
 * result:  -s-d-d-(c|)
 * ```
 *
 * @param turnId the turn whose completion ends the stream
 * @returns an operator over notifications
 * @example
 * ```ts
 * codex.notifications$.pipe(forTurn(id), untilTurnCompleted(id), toArray());
 * ```
 */
export function untilTurnCompleted<T extends Notification>(turnId: string): MonoTypeOperatorFunction<T> {
  return takeWhile((n) => !(n.method === "turn/completed" && turnIdOf(n) === turnId), true);
}
