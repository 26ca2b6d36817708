import { filter, type OperatorFunction } from "rxjs";
import type { ServerNotificationMethod } from "../protocol/generated/index.js";
import type { Notification, NotificationOf } from "../protocol/notifications.js";

/**
 * Keeps notifications of the given methods, typed: after `ofMethod("item/agentMessage/delta")`,
 * `n.params.delta` is a string. The RxJS way to narrow the notification union.
 *
 * ```
 * source:  -s-d-d-c-|
 * ofMethod("item/agentMessage/delta")
 * result:  ---d-d---|
 * ```
 *
 * @param methods one or more known notification methods
 * @returns an operator that filters and narrows
 * @example
 * ```ts
 * turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe((n) => process.stdout.write(n.params.delta));
 * ```
 */
export function ofMethod<M extends ServerNotificationMethod>(...methods: readonly M[]): OperatorFunction<Notification, NotificationOf<M>> {
  const wanted = new Set<string>(methods);
  return filter((n): n is NotificationOf<M> => wanted.has(n.method));
}
