// A module of its own: it needs the generated registry, which the notification types beside
// `isNotification` (on the main entry) do not.
import { serverNotificationSchemas } from "./generated/index.js";
import type { KnownNotification, Notification } from "./notifications.js";

/**
 * Type guard: is `n` a method the pinned protocol knows (and so validated and typed)?
 *
 * @param n any notification
 * @returns true for a {@link KnownNotification}
 */
export function isKnownNotification(n: Notification): n is KnownNotification {
  return Object.prototype.hasOwnProperty.call(serverNotificationSchemas, n.method);
}
