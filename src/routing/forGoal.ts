import { Observable, type MonoTypeOperatorFunction } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { goalReducer, initialGoalState, type GoalState } from "./goalReducer.js";

/**
 * The notifications of one goal run on a thread: its goal updates (and clear), and every event of
 * the turns that start while it runs; completes after the event that ends the goal (it stopped,
 * other than `paused`, and no turn of it runs). Events of other threads, of a turn that was already
 * running, and thread-level notifications are dropped. The rule is {@link goalReducer}'s: an event
 * passes when it changes the goal's state.
 *
 * ```
 * source:  -u-s-d-x-c-s-g-C-|   (u = goal active, s/d/c = a turn's started/delta/completed,
 * forGoal(threadId)               x = an event of another thread, g = goal complete, C = the end
 * result:  -u-s-d---c-s-g-(C|)    of the turn in flight: the server reports g before it)
 * ```
 *
 * Subscribe before sending `thread/goal/set`: the server sends the first `thread/goal/updated`
 * (and may start the first turn) before it answers.
 *
 * @param threadId the goal's thread
 * @param until ends the stream when it returns true for the state after an event (default: `ended`)
 * @returns an operator over notifications
 * @example
 * ```ts
 * const events$ = codex.notifications$.pipe(forGoal(thread.id), shareReplay());
 * events$.subscribe();
 * await codex.request("thread/goal/set", { threadId: thread.id, objective: "Fix the build", origin: "user" });
 * ```
 */
export function forGoal(threadId: string, until: (state: GoalState) => boolean = (s) => s.ended): MonoTypeOperatorFunction<Notification> {
  return (source) =>
    new Observable<Notification>((subscriber) => {
      // Seeded with the thread, so that another thread's events never enter the state.
      let state: GoalState = { ...initialGoalState, threadId };
      return source.subscribe({
        next: (n) => {
          const next = goalReducer(state, n);
          if (next === state) return;
          state = next;
          subscriber.next(n);
          if (until(state)) subscriber.complete();
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
