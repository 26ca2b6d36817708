import type { Notification } from "../protocol/notifications.js";

/** @internal A message's `params` when it is an object: what the id readers look in. */
export type Params = Readonly<Record<string, unknown>>;

/**
 * @internal The one place a message's params are read for its ids: notifications and server
 * requests name their thread and turn the same way, so they route by the same rule.
 *
 * @param message a notification or a server request
 * @returns its `params` when they are an object, else undefined
 */
export function paramsOf(message: { readonly params?: unknown }): Params | undefined {
  return record(message.params);
}

function record(value: unknown): Params | undefined {
  return value !== null && typeof value === "object" ? (value as Params) : undefined;
}

/** `params[key]` when it is a string, else `params[nested].id`. */
function scopedId(params: Params, key: "turnId" | "threadId", nested: "turn" | "thread"): string | undefined {
  const direct = params[key];
  if (typeof direct === "string") return direct;
  const id = record(params[nested])?.["id"];
  return typeof id === "string" ? id : undefined;
}

/**
 * @internal {@link turnIdOf} over params already read ({@link paramsOf}): the router reads a
 * notification's params once for both ids.
 *
 * @param params a notification's params
 * @returns the turn id, or undefined
 */
export function turnIdIn(params: Params): string | undefined {
  return scopedId(params, "turnId", "turn");
}

/**
 * `params.turn.rootTurnId` when it names another turn: the turn a child turn belongs to. The
 * app-server runs a review as a child turn of the turn `review/start` answered, and announces it
 * with its own id in `turn/started`.
 *
 * @param params a notification's params
 * @returns the root turn's id, or undefined for a turn that is its own root
 */
export function rootTurnIdIn(params: Params): string | undefined {
  const turn = record(params["turn"]);
  const root = turn?.["rootTurnId"];
  return typeof root === "string" && root !== turn?.["id"] ? root : undefined;
}

/**
 * @internal {@link threadIdOf} over params already read ({@link paramsOf}).
 *
 * @param params a notification's params
 * @returns the thread id, or undefined
 */
export function threadIdIn(params: Params): string | undefined {
  return scopedId(params, "threadId", "thread");
}

/**
 * The turn a notification belongs to: `params.turnId`, else `params.turn.id` (as in `turn/started`
 * and `turn/completed`). Works on unknown methods too, so future notifications route correctly.
 *
 * @param n any notification
 * @returns the turn id, or undefined for notifications not scoped to a turn
 */
export function turnIdOf(n: Notification): string | undefined {
  const params = paramsOf(n);
  return params === undefined ? undefined : turnIdIn(params);
}

/**
 * The thread a notification belongs to: `params.threadId`, else `params.thread.id` (`thread/started`).
 *
 * @param n any notification
 * @returns the thread id, or undefined for global notifications (`configWarning`, `account/updated`, …)
 */
export function threadIdOf(n: Notification): string | undefined {
  const params = paramsOf(n);
  return params === undefined ? undefined : threadIdIn(params);
}
