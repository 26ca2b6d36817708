import { filter, type MonoTypeOperatorFunction } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { turnIdOf } from "./ids.js";

/**
 * Keeps the notifications of one turn (by `params.turnId` or `params.turn.id`); concurrent turns
 * on the same client never see each other's events.
 *
 * ```
 * source:  -a1-b2-a3-g-|      (letter = turn, g = global notification)
 * forTurn("a")
 * result:  -a1----a3---|
 * ```
 *
 * @param turnId the turn to keep
 * @returns an operator over notifications
 * @example
 * ```ts
 * codex.notifications$.pipe(forTurn(turn.id)).subscribe((n) => console.log(n.method));
 * ```
 */
export function forTurn<T extends Notification>(turnId: string): MonoTypeOperatorFunction<T> {
  return filter((n) => turnIdOf(n) === turnId);
}
