import type { Notification } from "../protocol/notifications.js";

/** The method of the marker a turn's stream gets when its connection dropped: events may be missing from here. */
export const GAP_METHOD = "codex-rx/gap";

/**
 * The marker on a turn's stream (`turn.events$`, `codex.notifications$`) where the connection
 * dropped while the turn ran: deltas (and other live events) sent by the server before the
 * session was resumed are missing after it. Items are not lost: each completed item still arrives
 * as `item/completed`, from the server or, for what completed during the gap, from the thread's
 * record. An `UnknownNotification` as far as the protocol goes (`turnReducer` ignores it).
 */
export interface GapNotification {
  readonly method: typeof GAP_METHOD;
  readonly params: {
    readonly threadId: string;
    readonly turnId: string;
    /** Why the connection dropped. */
    readonly reason: string;
  };
}

/**
 * Type guard: is `n` the {@link GapNotification} a dropped connection leaves on a turn's stream?
 *
 * @param n any notification
 * @returns true for a `codex-rx/gap` marker
 * @example
 * ```ts
 * turn.events$.pipe(filter(isGap)).subscribe(() => ui.showGap());
 * ```
 */
export function isGap(n: Notification): n is GapNotification {
  return n.method === GAP_METHOD;
}
