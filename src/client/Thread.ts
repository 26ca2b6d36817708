import type { Observable } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { ownedTurn$ } from "./ownedTurn.js";
import type { z } from "zod";
import type { ReviewTarget, ThreadReadResponse, ThreadStartResponse, TurnStartParams } from "../protocol/generated/index.js";
import { abortErrorOf } from "../errors/index.js";
import type { TurnCapture } from "../routing/TurnCapture.js";
import { validateParams } from "../protocol/validate.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import { checkInput, toUserInputs, type Input } from "./inputs.js";
import { turnPresetParams } from "./presetParams.js";
import type { ApprovalMode, Sandbox } from "./presets.js";
import { structuredOutputOf } from "./structuredOutput.js";
import { ThreadGoals } from "./ThreadGoals.js";
import { reviewParams, type ReviewOptions } from "./review.js";
import { ThreadTurns } from "./ThreadTurns.js";
import { TurnHandle, type TurnHandleInit } from "./TurnHandle.js";
import type { TurnResult } from "./TurnResult.js";

/**
 * Per-turn options: everything `turn/start` accepts besides the thread and the input, in the
 * wire's own camelCase (`model`, `effort`, `summary`, `outputSchema`, `cwd`, `personality`, …),
 * plus presets and an abort signal.
 */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input"> & {
  /** An approval preset for this turn; wins over `approvalPolicy` / `approvalsReviewer`. */
  readonly approvalMode?: ApprovalMode;
  /**
   * A sandbox preset for this turn, sent as `sandboxPolicy`. Given with `sandboxPolicy`, both must
   * name the same sandbox. An explicit sandbox is never weakened by `approvalMode`.
   */
  readonly sandbox?: Sandbox;
  /**
   * Aborting it interrupts the turn (`turn/interrupt`, never a process kill); `run()` and
   * `result$` then fail with `AbortError`. Already aborted: the turn is not started.
   */
  readonly signal?: AbortSignal;
  /**
   * Structured output: a JSON Schema object, or a zod schema (sent as its JSON Schema, and used to
   * validate and type `result.structuredOutput`).
   */
  readonly outputSchema?: unknown;
};

/** {@link TurnOptions} whose `outputSchema` is a zod schema: the result is typed by it. */
export type TypedTurnOptions<S extends z.ZodType> = TurnOptions & { readonly outputSchema: S };

/** The thread as the server described it when it was started, resumed or forked. */
export type ThreadInfo = ThreadStartResponse["thread"];

/**
 * A conversation: each `run()` / `turn()` is one model execution in it, continuing its history.
 *
 * @example
 * ```ts
 * const thread = await codex.threadStart({ cwd: process.cwd() });
 * const first = await thread.run("Summarize Rust ownership in 2 bullets.");
 * const second = await thread.run("Now explain it to a Python developer.");
 * ```
 */
export class Thread extends ThreadGoals {
  /** @internal Created by the Codex's thread factory (`threadStart()`, `threadResume()`, …), which registers it with the context's thread registry. */
  constructor(
    context: ConnectionContext,
    /** What the server said about the thread when this handle was made. */
    readonly info: ThreadInfo,
  ) {
    super(context);
  }

  /** The thread id (UUIDv7). */
  get id(): string {
    return this.info.id;
  }

  /** Made when `turns$` is first asked for: a watch on every thread nobody watches is heap for nothing. */
  private threadTurns: ThreadTurns<TurnHandle> | undefined;
  private watchedTurns(): ThreadTurns<TurnHandle> {
    return (this.threadTurns ??= new ThreadTurns(this.id, this.context.router, (capture) => this.handleOf(capture)));
  }

  /**
   * Hot: a {@link TurnHandle} for every turn on this thread that starts while subscribed, the
   * server's own turns included (goal continuations). Each handle replays its turn from
   * `turn/started`, as `thread.turn()`'s do; a turn started through this object's `turn()` / `run()`
   * appears as the very handle those return. Turns already running when you subscribe are not
   * emitted. It never completes by itself: unsubscribe when done (each handle's streams end with
   * its turn, or with the connection).
   *
   * @example
   * ```ts
   * thread.turns$.subscribe((turn) => turn.run().then((r) => console.log(turn.id, r.finalResponse)));
   * await thread.setGoal("Make the test suite pass");
   * ```
   */
  get turns$(): Observable<TurnHandle> {
    return this.watchedTurns().turns$;
  }

  /**
   * Starts a turn and returns its handle as soon as the server has accepted it. The turn's events
   * (and the server requests made during it) are captured from before the request is sent, so
   * nothing is lost.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`, `outputSchema`
   * @returns the {@link TurnHandle}
   * @throws {InvalidInputError} when the input or an option is unknown or mistyped (nothing is sent)
   * @throws {PresetConflictError} for contradicting sandbox options (nothing is sent)
   * @throws {AuthRequiredError} when the provider requires OpenAI auth and there is no login (nothing is sent)
   * @throws {JsonRpcError} when the server rejects the turn (e.g. unknown thread)
   * @throws {AbortError} when `options.signal` is already aborted
   * @example
   * ```ts
   * const turn = await thread.turn("Explain ownership");
   * turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe((n) => process.stdout.write(n.params.delta));
   * const result = await turn.run();
   * ```
   */
  turn<S extends z.ZodType>(input: Input, options: TypedTurnOptions<S>): Promise<TurnHandle<z.output<S>>>;
  turn(input: Input, options?: TurnOptions): Promise<TurnHandle>;
  async turn(input: Input, options: TurnOptions = {}): Promise<TurnHandle> {
    const { signal, outputSchema } = options;
    const userInputs = toUserInputs(checkInput("turn/start", input));
    const wire = turnPresetParams(options, this.context.rpc.protocol);
    if (signal?.aborted) throw abortErrorOf("the turn", signal.reason, "before it started");
    const structured = outputSchema === undefined ? undefined : structuredOutputOf(outputSchema);
    const params: TurnStartParams = {
      ...wire,
      ...(structured === undefined ? {} : { outputSchema: structured.wire }),
      threadId: this.id,
      input: userInputs,
    };
    // Checked here, before the account check writes anything; the request below skips the repeat.
    const invalid = validateParams("turn/start", params, this.context.rpc.protocol);
    if (invalid !== undefined) throw invalid;

    const send = async (): Promise<{ readonly threadId: string; readonly turnId: string }> => {
      const { turn } = await this.context.rpc.request("turn/start", params, { skipParamsValidation: true });
      return { threadId: this.id, turnId: turn.id };
    };
    return this.startCaptured(send, { signal, parseOutput: structured?.parse });
  }

  /**
   * Starts a code review (`review/start`) and returns the handle of its turn as soon as the server
   * has accepted it; like `turn()`, its events are captured from before the request is sent.
   * `(await review.run()).review` is the review's text (the `exitedReviewMode` item's).
   *
   * @param target `{ type: "uncommittedChanges" }`, `{ type: "baseBranch", branch }`,
   *   `{ type: "commit", sha, title? }` or `{ type: "custom", instructions }`
   * @param options `delivery`, `signal`
   * @returns the {@link TurnHandle} of the review turn
   * @throws {InvalidInputError} for an unknown target type or a missing field (nothing is sent)
   * @throws {AuthRequiredError} when the provider requires OpenAI auth and there is no login (nothing is sent)
   * @throws {AbortError} when `options.signal` is already aborted
   * @throws {JsonRpcError} when the server refuses the review
   * @example
   * ```ts
   * const review = await thread.review({ type: "baseBranch", branch: "main" });
   * console.log((await review.run()).review);
   * ```
   */
  async review(target: ReviewTarget, options: ReviewOptions = {}): Promise<TurnHandle> {
    const params = reviewParams(this.id, target, options, this.context.rpc.protocol);
    const { signal } = options;
    if (signal?.aborted) throw abortErrorOf("the review", signal.reason, "before it started");
    const send = async (): Promise<{ readonly threadId: string; readonly turnId: string }> => {
      const { reviewThreadId, turn } = await this.context.rpc.request("review/start", params, { skipParamsValidation: true });
      return { threadId: reviewThreadId, turnId: turn.id };
    };
    return this.startCaptured(send, { signal });
  }

  /**
   * Subscribe first, send second: the connection's router holds this thread's turn-scoped
   * notifications (and server requests) until the answer names the turn, then routes only that
   * turn's to its capture, until its turn/completed. The capture is the handle's own replay.
   */
  private async startCaptured<T>(send: () => Promise<{ readonly threadId: string; readonly turnId: string }>, options: Pick<TurnHandleInit<T>, "signal" | "parseOutput">): Promise<TurnHandle<T>> {
    // Before the capture: holding the thread's notifications matters only from the request on.
    await this.context.accountCheck?.ensure();
    const pending = this.context.router.captureTurn(this.id);
    try {
      const { threadId, turnId } = await send();
      if (threadId !== this.id) {
        // The turn runs on another thread (a review delivered elsewhere): follow it there.
        pending.abandon();
        return this.handleOf(this.context.router.captureTurn(threadId).claim(turnId), options);
      }
      const handle = this.handleOf<T>(pending.claim(turnId), options);
      // Only when turns$ was ever asked for: a tracker on every thread nobody watches is heap for nothing.
      this.threadTurns?.startedHere(turnId, handle);
      return handle;
    } catch (error) {
      pending.abandon();
      throw error;
    }
  }

  /** The one handle of a captured turn: its replay, its server requests, its folded state. */
  private handleOf<T>(capture: TurnCapture, options: Pick<TurnHandleInit<T>, "signal" | "parseOutput"> = {}): TurnHandle<T> {
    return new TurnHandle<T>({ capture, context: this.context, ...options });
  }

  /**
   * Starts a turn and waits for its result: `(await thread.turn(input, options)).run()`.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`, `outputSchema`
   * @returns the {@link TurnResult} (final response, items, usage, timing, structured output)
   * @throws {InvalidInputError} when the input or an option is unknown or mistyped (nothing is sent)
   * @throws {AuthRequiredError} when the provider requires OpenAI auth and there is no login (nothing is sent)
   * @throws {TurnFailedError} when the turn ends `failed`
   * @throws {AbortError} when `options.signal` aborts the turn
   * @throws {StructuredOutputError} when an `outputSchema` answer does not parse
   * @throws {JsonRpcError} when the server rejects the turn
   * @throws {TransportClosedError} when the app-server goes away first
   * @example
   * ```ts
   * const result = await thread.run("Say hello");
   * console.log(result.finalResponse);
   * ```
   */
  run<S extends z.ZodType>(input: Input, options: TypedTurnOptions<S>): Promise<TurnResult<z.output<S>>>;
  run(input: Input, options?: TurnOptions): Promise<TurnResult>;
  async run(input: Input, options?: TurnOptions): Promise<TurnResult> {
    return (await this.turn(input, options)).run();
  }

  /**
   * {@link Thread.run} as a cold Observable: each subscription starts its own turn and emits its
   * {@link TurnResult}, then completes; it fails as `run()` does. Unsubscribing before the result
   * interrupts the turn on the server (`turn/interrupt`, never a process kill; unsubscribed before
   * `turn/start` has answered, it interrupts as soon as the turn can be). So `timeout`,
   * `takeUntil`, `switchMap`, `mergeMap` with a limit and a failing sibling in `forkJoin` stop
   * real work.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`, `outputSchema`
   * @returns a cold Observable of one {@link TurnResult}
   * @throws {InvalidInputError} (on subscribe) when the input or an option is unknown or mistyped (nothing is sent)
   * @throws {TurnFailedError} when the turn ends `failed`
   * @throws {TransportClosedError} when the app-server goes away first
   * @example
   * ```ts
   * const results = await lastValueFrom(
   *   from(prompts).pipe(mergeMap((p) => thread.run$(p).pipe(timeout(60_000)), 2), toArray()),
   * );
   * ```
   */
  run$<S extends z.ZodType>(input: Input, options: TypedTurnOptions<S>): Observable<TurnResult<z.output<S>>>;
  run$(input: Input, options?: TurnOptions): Observable<TurnResult>;
  run$(input: Input, options?: TurnOptions): Observable<TurnResult> {
    return ownedTurn$(() => this.turn(input, options), (handle) => handle.result$);
  }

  /**
   * A turn's events as a cold Observable: each subscription starts its own turn and emits its
   * notifications from its first to `turn/completed` (as `turn.events$`), then completes, whatever
   * the turn's status. Unsubscribing first interrupts the turn, as {@link Thread.run$} does. For
   * live snapshots, `pipe(scan(turnReducer, initialTurnState))`; under `switchMap`, a new prompt
   * interrupts the turn of the previous one.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`
   * @returns a cold Observable of the turn's notifications
   * @throws {InvalidInputError} (on subscribe) when the input or an option is unknown or mistyped (nothing is sent)
   * @throws {TransportClosedError} when the app-server goes away first
   * @example
   * ```ts
   * prompt$.pipe(switchMap((p) => thread.turn$(p).pipe(scan(turnReducer, initialTurnState)))).subscribe((s) => render(s.text));
   * ```
   */
  turn$(input: Input, options?: TurnOptions): Observable<Notification> {
    return ownedTurn$(() => this.turn(input, options), (handle) => handle.events$);
  }

  /**
   * Reads the thread as the server has it now (`thread/read`).
   *
   * @param options `includeTurns` to load its turns and items too
   * @returns the server's Thread object
   * @throws {JsonRpcError} when the thread is gone
   * @example
   * ```ts
   * const { turns } = await thread.read({ includeTurns: true });
   * ```
   */
  async read(options: { readonly includeTurns?: boolean } = {}): Promise<ThreadReadResponse["thread"]> {
    const { thread } = await this.context.rpc.request("thread/read", { threadId: this.id, ...options });
    return thread;
  }

  /**
   * Names the thread (`thread/name/set`); a `thread/name/updated` notification follows.
   *
   * @param name the new name
   * @example
   * ```ts
   * await thread.setName("Refactor auth");
   * ```
   */
  async setName(name: string): Promise<void> {
    await this.context.rpc.request("thread/name/set", { threadId: this.id, name });
  }

  /**
   * Starts compacting the thread's context (`thread/compact/start`): the server summarizes the
   * history so far; progress arrives as notifications on the thread.
   *
   * @example
   * ```ts
   * await thread.compact();
   * ```
   */
  async compact(): Promise<void> {
    await this.context.rpc.request("thread/compact/start", { threadId: this.id });
  }
}
