import { BehaviorSubject, ReplaySubject, Subject, filter, firstValueFrom, scan, takeUntil, type Observable } from "rxjs";
import type { ThreadGoal } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import { abortErrorOf, GoalIncompleteError } from "../errors/index.js";
import { goalUpdates } from "../routing/goalUpdates.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import { forGoal } from "../routing/forGoal.js";
import { goalReducer, initialGoalState, type GoalState } from "../routing/goalReducer.js";
import { toGoalResult, type GoalResult } from "./GoalResult.js";
import { clearGoal, setGoal, setGoalStatus, type SetGoalOptions } from "./goals.js";
import type { TurnHandle } from "./TurnHandle.js";

/** Options of `thread.runGoal()`. */
export interface GoalOptions extends SetGoalOptions {
  /**
   * Aborting it pauses the goal on the server and interrupts the turn in flight; `run()` then
   * fails with `AbortError` once that turn has ended. Already aborted: the goal is not set.
   */
  readonly signal?: AbortSignal;
}

/** @internal What a goal run needs from its thread. */
export interface GoalThread {
  readonly id: string;
  readonly turns$: Observable<TurnHandle>;
}

/**
 * One goal on a thread, followed from before `thread/goal/set` was sent until it ends: its
 * updates, and every turn the server runs for it (the continuations it starts by itself, one after
 * another, until the goal is complete, paused, blocked or out of budget). Everything is captured
 * from before the request, and replayed: subscribe to any stream at any time.
 *
 * The handle follows the goal through pauses (`pause()` then `resume()`) and stops following it
 * once it ends: complete, blocked, budgetLimited, usageLimited, cleared, or paused by an abort.
 *
 * @example
 * ```ts
 * const goal = await thread.runGoal("Make the test suite pass", { tokenBudget: 200_000 });
 * goal.progress$.subscribe((s) => render(s.status, s.turns.length, s.turn?.text));
 * const result = await goal.run(); // { status: "complete", turns: [...], usage, durationMs }
 * ```
 */
export class GoalHandle {
  /** The goal's thread. */
  readonly threadId: string;
  /**
   * The goal's notifications: its updates (and clear) and every event of its turns, from the first
   * to the one that ended it, replayed to late subscribers; then completes. Errors with
   * `TransportClosedError` if the wire dies first.
   */
  readonly events$: Observable<Notification>;
  /** The goal as it changes (`null` once cleared), replayed from its first update. */
  readonly goal$: Observable<ThreadGoal | null>;
  /** A {@link TurnHandle} for every turn of the goal, replayed; completes with `events$`. */
  readonly turns$: Observable<TurnHandle>;
  /** `scan(goalReducer)`: a {@link GoalState} snapshot per event (the goal, turns done, the turn running). */
  readonly progress$: Observable<GoalState>;
  private readonly context: ConnectionContext;
  private readonly state: BehaviorSubject<GoalState>;
  private readonly startedAt: number;
  private settledAt: number;
  private readonly signal: AbortSignal | undefined;
  private readonly stop$: Subject<void>;
  /** Set once the capture completed or errored: the state no longer moves. */
  private finished = false;

  /** @internal Created by `Thread.runGoal()` (see {@link startGoal}). */
  constructor(init: {
    readonly threadId: string;
    readonly context: ConnectionContext;
    readonly events: ReplaySubject<Notification>;
    readonly turns: ReplaySubject<TurnHandle>;
    readonly stop$: Subject<void>;
    readonly startedAt: number;
    readonly signal?: AbortSignal | undefined;
  }) {
    this.threadId = init.threadId;
    this.context = init.context;
    this.startedAt = init.startedAt;
    this.settledAt = init.startedAt;
    this.signal = init.signal;
    this.stop$ = init.stop$;
    this.events$ = init.events.asObservable();
    this.turns$ = init.turns.asObservable();
    this.goal$ = this.events$.pipe(goalUpdates(this.threadId));
    this.progress$ = this.events$.pipe(scan(goalReducer, initialGoalState));
    this.state = new BehaviorSubject<GoalState>(initialGoalState);
    this.events$.subscribe({
      next: (n) => this.fold(n),
      error: (error: unknown) => {
        this.finished = true;
        this.state.error(error);
      },
      complete: () => {
        this.finished = true;
        this.state.complete();
      },
    });
    if (this.signal !== undefined) this.pauseOnAbort(this.signal);
  }

  /**
   * Waits until the goal stops running and returns its result: when it is no longer active
   * (complete, paused, blocked, budgetLimited, usageLimited) or was cleared, and the turn in flight
   * has ended. Called while the goal is paused, it resolves at once (with status `paused`); after
   * `resume()`, it waits for the next stop.
   *
   * @returns the {@link GoalResult}: status, goal, every turn (failed ones included), usage, duration
   * @throws {AbortError} when the run's `signal` aborted it
   * @throws {GoalIncompleteError} when the client closed while the goal was still running
   * @throws {TransportClosedError} when the app-server goes away first
   * @example
   * ```ts
   * const { status, turns, usage } = await goal.run();
   * ```
   */
  async run(): Promise<GoalResult> {
    // `value` throws the capture's error; a finished capture keeps its last state there.
    const now = this.state.value;
    const state = now.settled ? now : await firstValueFrom(this.state.pipe(filter((s) => s.settled)), { defaultValue: undefined });
    if (state === undefined) throw new GoalIncompleteError(this.threadId, this.state.value.status);
    if (this.signal?.aborted) throw abortErrorOf(`the goal on thread ${this.threadId}`, this.signal.reason);
    return toGoalResult(state, this.settledAt - this.startedAt);
  }

  /**
   * Pauses the goal (`thread/goal/set` status `paused`): the server starts no further turn; the one
   * in flight still completes, then `run()` resolves with status `paused`.
   *
   * @returns the goal as the server now has it
   * @throws {JsonRpcError} when the server refuses (e.g. the goal is gone)
   * @example
   * ```ts
   * await goal.pause();
   * ```
   */
  async pause(): Promise<ThreadGoal> {
    return this.answered(await setGoalStatus(this.context.rpc, this.threadId, "paused"));
  }

  /**
   * Resumes a paused goal (`thread/goal/set` status `active`): the server starts turns again, and
   * this handle follows them; a later `run()` waits for the next stop.
   *
   * @returns the goal as the server now has it
   * @throws {JsonRpcError} when the server refuses (e.g. the goal is gone)
   * @example
   * ```ts
   * await goal.resume();
   * const result = await goal.run();
   * ```
   */
  async resume(): Promise<ThreadGoal> {
    return this.answered(await setGoalStatus(this.context.rpc, this.threadId, "active"));
  }

  /**
   * Removes the goal (`thread/goal/clear`): the turn in flight completes and nothing follows;
   * `run()` resolves with status `cleared`.
   *
   * @returns true when there was a goal to clear
   * @throws {JsonRpcError} when the server refuses
   * @example
   * ```ts
   * await goal.clear();
   * ```
   */
  clear(): Promise<boolean> {
    return clearGoal(this.context.rpc, this.threadId);
  }

  private fold(n: Notification): void {
    if (this.finished) return;
    const next = goalReducer(this.state.value, n);
    if (next.settled && !this.state.value.settled) this.settledAt = Date.now();
    this.state.next(next);
    this.stopIfAborted();
  }

  /**
   * The server may answer a pause or resume before it sends the matching `thread/goal/updated`:
   * the answer moves this handle's state at once (a `run()` right after `resume()` waits for the
   * resumed goal), and the notification that follows changes nothing more.
   */
  private answered(goal: ThreadGoal): ThreadGoal {
    if (!this.state.value.ended) this.fold({ method: "thread/goal/updated", params: { threadId: this.threadId, turnId: null, goal } });
    return goal;
  }

  /** An abort pauses the goal and interrupts the turn in flight; cleaned up when the goal ends. */
  private pauseOnAbort(signal: AbortSignal): void {
    const onAbort = (): void => {
      if (this.state.value.ended) return;
      // The goal may be gone or over by now; a refused request changes nothing.
      this.pause().catch(() => undefined);
      const turnId = this.state.value.turn?.turnId;
      if (turnId != null) this.context.rpc.request("turn/interrupt", { threadId: this.threadId, turnId }).catch(() => undefined);
      this.stopIfAborted();
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    const cleanup = (): void => signal.removeEventListener("abort", onAbort);
    this.events$.subscribe({ complete: cleanup, error: cleanup });
  }

  /** After an abort the handle stops following the goal as soon as it has settled. */
  private stopIfAborted(): void {
    if (this.signal?.aborted && this.state.value.settled) this.stop$.next();
  }
}

/**
 * @internal `thread.runGoal()`: subscribes first (the goal's notifications, followed on the
 * connection's router, and the thread's turns),
 * sends `thread/goal/set` second, and hands both captures to a new {@link GoalHandle}.
 *
 * @param context the connection's context (its router follows the goal)
 * @param thread the goal's thread
 * @param objective what the goal is
 * @param options `tokenBudget`, `signal`
 * @returns the handle, once the server has accepted the goal
 */
export async function startGoal(context: ConnectionContext, thread: GoalThread, objective: string, options: GoalOptions = {}): Promise<GoalHandle> {
  const { signal, ...goalOptions } = options;
  if (signal?.aborted) throw abortErrorOf("the goal", signal.reason, "before it was set");
  const events = new ReplaySubject<Notification>();
  const turns = new ReplaySubject<TurnHandle>();
  const stop$ = new Subject<void>();
  // The thread's own notifications, from the connection's router: no filter over the whole stream
  // per running goal.
  const captureEvents = context.router.threadEvents$(thread.id).pipe(forGoal(thread.id), takeUntil(stop$)).subscribe(events);
  const captureTurns = thread.turns$.subscribe(turns);
  const endTurns = (): void => {
    captureTurns.unsubscribe();
    turns.complete();
  };
  events.subscribe({ complete: endTurns, error: endTurns });
  const startedAt = Date.now();
  try {
    await setGoal(context.rpc, thread.id, objective, goalOptions);
    return new GoalHandle({ threadId: thread.id, context, events, turns, stop$, startedAt, signal });
  } catch (error) {
    captureEvents.unsubscribe();
    captureTurns.unsubscribe();
    throw error;
  }
}
