import type { Observable } from "rxjs";
import type { ThreadGoal } from "../protocol/generated/index.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import { startGoal, type GoalHandle, type GoalOptions } from "./GoalHandle.js";
import { clearGoal, readGoal, setGoal, threadGoal$, type SetGoalOptions } from "./goals.js";
import type { TurnHandle } from "./TurnHandle.js";

/**
 * A thread's goal: set, read, clear, follow, run. The part of {@link Thread} that drives the
 * server's own turns (`thread/goal/*`); `Thread` extends it.
 */
export abstract class ThreadGoals {
  /** @internal Called by `Thread`'s constructor. */
  protected constructor(
    /** @internal The connection and what exists once per connection. */
    protected readonly context: ConnectionContext,
  ) {}

  /** The thread id. */
  abstract get id(): string;

  /** Every turn on the thread from now on (see `Thread.turns$`): what a goal run follows. */
  abstract get turns$(): Observable<TurnHandle>;


  /**
   * Sets the thread's goal (`thread/goal/set`): from now on the server starts turns by itself,
   * one after another, until the goal is complete, paused, blocked or out of budget. Those turns
   * appear on `thread.turns$`; `runGoal` follows them for you.
   *
   * @param objective what the goal is, in words the model reads
   * @param options `tokenBudget`: the most tokens the goal may use
   * @returns the goal (status `active`)
   * @throws {JsonRpcError} when the server refuses it
   * @example
   * ```ts
   * const goal = await thread.setGoal("Make the test suite pass", { tokenBudget: 200_000 });
   * ```
   */
  setGoal(objective: string, options?: SetGoalOptions): Promise<ThreadGoal> {
    return setGoal(this.context.rpc, this.id, objective, options);
  }

  /**
   * Reads the thread's goal (`thread/goal/get`).
   *
   * @returns the goal, or `null` when the thread has none
   * @throws {JsonRpcError} when the thread is gone
   * @example
   * ```ts
   * const goal = await thread.goal();
   * console.log(goal?.status, goal?.tokensUsed);
   * ```
   */
  goal(): Promise<ThreadGoal | null> {
    return readGoal(this.context.rpc, this.id);
  }

  /**
   * Removes the thread's goal (`thread/goal/clear`): a turn in flight completes, nothing follows.
   *
   * @returns true when there was a goal to clear
   * @throws {JsonRpcError} when the server refuses
   * @example
   * ```ts
   * await thread.clearGoal();
   * ```
   */
  clearGoal(): Promise<boolean> {
    return clearGoal(this.context.rpc, this.id);
  }

  private goalCache$: Observable<ThreadGoal | null> | undefined;

  /**
   * The thread's goal as state: the current value on subscribe (one `thread/goal/get`), then every
   * `thread/goal/updated`, and `null` on `thread/goal/cleared`. Shared: concurrent subscribers
   * cause one read and a late one gets the latest value. Completes with the connection.
   *
   * @example
   * ```ts
   * thread.goal$.subscribe((goal) => console.log(goal?.status ?? "no goal", goal?.tokensUsed));
   * ```
   */
  get goal$(): Observable<ThreadGoal | null> {
    return (this.goalCache$ ??= threadGoal$(this.context, this.id));
  }

  /**
   * Sets a goal and follows it: the goal's updates and every turn the server runs for it are
   * captured from before `thread/goal/set` is sent, so nothing is lost. `await goal.run()` for the
   * outcome.
   *
   * @param objective what the goal is
   * @param options `tokenBudget`; `signal` pauses the goal and interrupts its turn when aborted
   * @returns the {@link GoalHandle}, once the server has accepted the goal
   * @throws {AbortError} when `options.signal` is already aborted
   * @throws {JsonRpcError} when the server refuses the goal
   * @example
   * ```ts
   * const goal = await thread.runGoal("Write a haiku about RxJS, then mark the goal complete");
   * goal.turns$.subscribe((turn) => console.log("turn", turn.id));
   * const { status, turns } = await goal.run();
   * ```
   */
  runGoal(objective: string, options?: GoalOptions): Promise<GoalHandle> {
    return startGoal(this.context, this, objective, options);
  }
}
