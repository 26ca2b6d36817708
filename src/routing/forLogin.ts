import { filter, take, type ObservableInput, type OperatorFunction } from "rxjs";
import type { Notification, NotificationOf } from "../protocol/notifications.js";
import { filterByKey } from "./filterByKey.js";
import { loginIdOf } from "./loginIdOf.js";

/** The notification that ends an interactive login attempt (browser or device code). */
export type LoginCompletedNotification = NotificationOf<"account/login/completed">;

function isLoginCompleted(n: Notification): n is LoginCompletedNotification {
  return n.method === "account/login/completed";
}

export function forLogin(loginId: string): OperatorFunction<Notification, LoginCompletedNotification>;
export function forLogin(loginId$: ObservableInput<string>): OperatorFunction<Notification, LoginCompletedNotification>;
/**
 * Keeps the `account/login/completed` notification of one login attempt (by `params.loginId`),
 * then completes: an attempt completes exactly once. Completions of other attempts (one this
 * attempt replaced, one running concurrently, the `loginId: null` completion of an API-key
 * login) and every other notification are dropped.
 *
 * Given a string, it is a plain filter. Given an Observable or a Promise of the id, it
 * subscribes first and learns the id later ({@link filterByKey}): a completion that arrives
 * before the `account/login/start` response names the attempt is buffered, not lost.
 *
 * ```
 * source:   -a-b-c-|        (a, b = completions of attempts A and B, c = another notification)
 * forLogin("b")
 * result:   ---(b|)
 *
 * source:   -b-a---c-|      (B completes before its start response)
 * loginId$: -----(B|)
 * result:   -----(b|)
 * ```
 *
 * Unlike `forTurn`, which is an unbounded filter, this one ends the stream after the one
 * completion, and unsubscribes from the source. An error of `loginId$` (e.g. the start request
 * failed) errors the result; `loginId$` completing without an id completes it empty.
 *
 * @param loginId the attempt's id (a string), or a Promise / Observable that yields it
 * @returns an operator from notifications to the attempt's one completion
 * @see filterByKey
 * @example
 * ```ts
 * const start = codex.request("account/login/start", { type: "chatgpt" });
 * const completed$ = codex.notifications$.pipe(forLogin(start.then((r) => (r.type === "chatgpt" ? r.loginId : ""))), shareReplay(1));
 * completed$.subscribe((n) => console.log(n.params.success));
 * ```
 */
export function forLogin(loginId: string | ObservableInput<string>): OperatorFunction<Notification, LoginCompletedNotification> {
  // A string is an Iterable too: test it first, or `from("id")` would yield characters.
  // Narrow first, so that only login completions wait in filterByKey's buffer.
  const byId: OperatorFunction<LoginCompletedNotification, LoginCompletedNotification> =
    typeof loginId === "string"
      ? filter<LoginCompletedNotification>((n) => loginIdOf(n) === loginId)
      : filterByKey<LoginCompletedNotification, string>(loginId, loginIdOf);
  return (source) => source.pipe(filter(isLoginCompleted), byId, take(1));
}
