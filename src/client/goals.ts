import { Observable, ReplaySubject, concat, defer, share, type ObservableInput } from "rxjs";
import type { ThreadGoal, ThreadGoalStatus } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { goalUpdates } from "../routing/goalUpdates.js";
import type { NotificationRouter } from "../routing/NotificationRouter.js";

/** Options of `thread.setGoal()`. */
export interface SetGoalOptions {
  /** The most tokens the goal may use; past it the server stops it as `budgetLimited`. Default: none. */
  readonly tokenBudget?: number | null;
}

/** `thread/goal/set` with a new objective (origin `user`): the server answers the goal and starts working on it. */
export async function setGoal(rpc: RpcConnection, threadId: string, objective: string, options: SetGoalOptions = {}): Promise<ThreadGoal> {
  const { goal } = await rpc.request("thread/goal/set", {
    threadId,
    objective,
    origin: "user",
    ...(options.tokenBudget === undefined ? {} : { tokenBudget: options.tokenBudget }),
  });
  return goal;
}

/** `thread/goal/set` with a status only: pauses (`paused`) or resumes (`active`) the goal. */
export async function setGoalStatus(rpc: RpcConnection, threadId: string, status: ThreadGoalStatus): Promise<ThreadGoal> {
  const { goal } = await rpc.request("thread/goal/set", { threadId, status, origin: "user" });
  return goal;
}

/** `thread/goal/get`: the thread's goal, or `null`. */
export async function readGoal(rpc: RpcConnection, threadId: string): Promise<ThreadGoal | null> {
  const { goal } = await rpc.request("thread/goal/get", { threadId });
  return goal ?? null;
}

/** `thread/goal/clear` (origin `user`): true when there was a goal to clear. */
export async function clearGoal(rpc: RpcConnection, threadId: string): Promise<boolean> {
  const { cleared } = await rpc.request("thread/goal/clear", { threadId, origin: "user" });
  return cleared;
}

/**
 * A value read once, then every update: subscribes to `updates$` first (buffering), then to
 * `current$`; emits the current value, then the updates that arrived meanwhile, then the live ones.
 * None is dropped: whatever the race between the read and an update, the last value is the newest.
 *
 * ```
 * updates$:  --u---v--
 * current$:  ---(c|)
 * result:    ---(cu)v--
 * ```
 *
 * @param current$ the read (its first value)
 * @param updates$ the updates, hot
 * @returns the value as state
 */
export function currentThenUpdates<T>(current$: ObservableInput<T>, updates$: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    const buffer = new ReplaySubject<T>();
    const updates = updates$.subscribe(buffer);
    const out = concat(current$, buffer).subscribe(subscriber);
    return () => {
      updates.unsubscribe();
      out.unsubscribe();
    };
  });
}

/**
 * `thread.goal$`: the goal read once (`thread/goal/get`), then every update (`null` when cleared).
 * Shared: concurrent subscribers cause one read and a late one gets the latest value; after the
 * last one leaves, the next subscription reads afresh.
 */
export function threadGoal$(connection: { readonly rpc: RpcConnection; readonly router: NotificationRouter }, threadId: string): Observable<ThreadGoal | null> {
  return currentThenUpdates(
    defer(() => readGoal(connection.rpc, threadId)),
    connection.router.threadEvents$(threadId).pipe(goalUpdates(threadId)),
  ).pipe(share({ connector: () => new ReplaySubject<ThreadGoal | null>(1), resetOnRefCountZero: true, resetOnError: true, resetOnComplete: true }));
}
