import type { Notification } from "../protocol/notifications.js";

/**
 * The login attempt an `account/login/completed` notification belongs to: its `params.loginId`.
 * Every other notification, and the completion of an API-key login (whose `loginId` is `null`),
 * belongs to no attempt.
 *
 * @param n any notification
 * @returns the login id, or undefined when `n` is not the completion of an interactive login
 * @example
 * ```ts
 * codex.notifications$.pipe(filterByKey(startLogin().then((r) => r.loginId), loginIdOf));
 * ```
 */
export function loginIdOf(n: Notification): string | undefined {
  if (n.method !== "account/login/completed" || n.params === null || typeof n.params !== "object") return undefined;
  const id: unknown = (n.params as Record<string, unknown>)["loginId"];
  return typeof id === "string" ? id : undefined;
}
