import type { ServerNotificationMethod, ServerNotificationParamsMap } from "./generated/index.js";

/** A notification whose method the pinned protocol knows, with typed params; discriminated by `method`. */
export type KnownNotification = {
  [M in ServerNotificationMethod]: { readonly method: M; readonly params: ServerNotificationParamsMap[M] };
}[ServerNotificationMethod];

/** The notification with method `M`, e.g. `NotificationOf<"turn/completed">`. */
export type NotificationOf<M extends ServerNotificationMethod> = Extract<KnownNotification, { readonly method: M }>;

/**
 * A notification whose method this version of codex-rx does not know (a newer server). Passed
 * through untouched so nothing is lost; its params are unvalidated.
 */
export interface UnknownNotification {
  readonly method: string;
  readonly params: unknown;
}

/**
 * Everything on `codex.notifications$`: the wire shape `{ method, params }`. Narrow with
 * {@link isNotification} or the `ofMethod` operator (a `switch` on `method` cannot exclude
 * {@link UnknownNotification}, whose method is any string).
 */
export type Notification = KnownNotification | UnknownNotification;

/**
 * Type guard: is `n` the notification `method` (typed params)?
 *
 * @param n any notification
 * @param method a known method name
 * @returns true when `n.method === method`
 * @example
 * ```ts
 * if (isNotification(n, "item/agentMessage/delta")) process.stdout.write(n.params.delta);
 * ```
 */
export function isNotification<M extends ServerNotificationMethod>(n: Notification, method: M): n is NotificationOf<M> {
  return n.method === method;
}
