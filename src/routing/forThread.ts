import { filter, type MonoTypeOperatorFunction } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { threadIdOf } from "./ids.js";

/**
 * Keeps the notifications of one thread (by `params.threadId` or `params.thread.id`): its turns,
 * status changes, token usage, name changes.
 *
 * ```
 * source:  -a-b-a-g-|      (letter = thread, g = global notification)
 * forThread("a")
 * result:  -a---a---|
 * ```
 *
 * @param threadId the thread to keep
 * @returns an operator over notifications
 * @example
 * ```ts
 * codex.notifications$.pipe(forThread(thread.id), ofMethod("thread/status/changed")).subscribe(show);
 * ```
 */
export function forThread<T extends Notification>(threadId: string): MonoTypeOperatorFunction<T> {
  return filter((n) => threadIdOf(n) === threadId);
}
