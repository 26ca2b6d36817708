import { AsyncSubject, ReplaySubject, filter, takeUntil, takeWhile } from "rxjs";
import type { z } from "zod";
import type { ThreadReadResponse, ThreadStartResponse, TurnStartParams } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import { AbortError } from "../rpc/errors.js";
import type { RpcConnection, ServerRequestEvent } from "../rpc/RpcConnection.js";
import { filterByKey } from "../routing/filterByKey.js";
import { forThread } from "../routing/forThread.js";
import { turnIdOf } from "../routing/ids.js";
import { toUserInputs, type Input } from "./inputs.js";
import { sessionOf } from "./reconnect.js";
import { approvalWireFields, sandboxPolicyOf, type ApprovalMode, type Sandbox } from "./presets.js";
import { structuredOutputOf } from "./structuredOutput.js";
import { TurnHandle } from "./TurnHandle.js";
import type { TurnResult } from "./TurnResult.js";

/**
 * Per-turn options: everything `turn/start` accepts besides the thread and the input, in the
 * wire's own camelCase (`model`, `effort`, `summary`, `outputSchema`, `cwd`, `personality`, …),
 * plus presets and an abort signal.
 */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input"> & {
  /** An approval preset for this turn; wins over `approvalPolicy` / `approvalsReviewer`. */
  readonly approvalMode?: ApprovalMode;
  /** A sandbox preset for this turn, sent as `sandboxPolicy`; wins over `sandboxPolicy`. */
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
export class Thread {
  /** @internal Created by `Codex.threadStart()` / `threadResume()` / `threadFork()`. */
  constructor(
    private readonly rpc: RpcConnection,
    /** What the server said about the thread when this handle was made. */
    readonly info: ThreadInfo,
  ) {
    // Resumed after a reconnect for as long as this handle lives.
    sessionOf(rpc)?.adopt(info.id, this);
  }

  /** The thread id (UUIDv7). */
  get id(): string {
    return this.info.id;
  }

  /**
   * Starts a turn and returns its handle as soon as the server has accepted it. The turn's events
   * (and the server requests made during it) are captured from before the request is sent, so
   * nothing is lost.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`, `outputSchema`
   * @returns the {@link TurnHandle}
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
    const { signal, approvalMode, sandbox, outputSchema, ...wire } = options;
    if (signal?.aborted) throw new AbortError("the turn was aborted before it started", { cause: signal.reason });
    const preset = approvalMode === undefined ? undefined : approvalWireFields(approvalMode);
    const sandboxMode = sandbox ?? preset?.sandbox;
    const structured = outputSchema === undefined ? undefined : structuredOutputOf(outputSchema);
    const params: TurnStartParams = {
      ...wire,
      ...(preset === undefined ? {} : { approvalPolicy: preset.approvalPolicy, approvalsReviewer: preset.approvalsReviewer ?? null }),
      ...(sandboxMode === undefined ? {} : { sandboxPolicy: sandboxPolicyOf(sandboxMode) }),
      ...(structured === undefined ? {} : { outputSchema: structured.wire }),
      threadId: this.id,
      input: toUserInputs(input),
    };

    // Subscribe first, send second: this thread's notifications (and server requests) are
    // buffered until the response names the turn, then only that turn's pass, until its
    // turn/completed. The ReplaySubjects are the handle's own replay: they live as long as it does.
    const turnId$ = new AsyncSubject<string>();
    const events = new ReplaySubject<Notification>();
    const requests = new ReplaySubject<ServerRequestEvent>();
    const captureEvents = this.rpc.notifications$
      .pipe(
        forThread(this.id),
        filterByKey(turnId$, turnIdOf),
        takeWhile((n) => n.method !== "turn/completed", true),
      )
      .subscribe(events);
    const turnOver$ = events.pipe(filter((n) => n.method === "turn/completed"));
    const captureRequests = this.rpc.serverRequests$
      .pipe(filterByKey(turnId$, requestTurnIdOf), takeUntil(turnOver$))
      .subscribe(requests);
    try {
      const { turn } = await this.rpc.request("turn/start", params);
      sessionOf(this.rpc)?.turnOpened(this.id, turn.id);
      turnId$.next(turn.id);
      turnId$.complete();
      return new TurnHandle({
        id: turn.id,
        threadId: this.id,
        events$: events.asObservable(),
        serverRequests$: requests.asObservable(),
        rpc: this.rpc,
        signal,
        parseOutput: structured?.parse,
      });
    } catch (error) {
      captureEvents.unsubscribe();
      captureRequests.unsubscribe();
      throw error;
    }
  }

  /**
   * Starts a turn and waits for its result: `(await thread.turn(input, options)).run()`.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides, presets, `signal`, `outputSchema`
   * @returns the {@link TurnResult} (final response, items, usage, timing, structured output)
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
    const { thread } = await this.rpc.request("thread/read", { threadId: this.id, ...options });
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
    await this.rpc.request("thread/name/set", { threadId: this.id, name });
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
    await this.rpc.request("thread/compact/start", { threadId: this.id });
  }
}

/** The turn a server request belongs to: read like a notification's (`params.turnId`). */
function requestTurnIdOf(event: ServerRequestEvent): string | undefined {
  return turnIdOf(event.request);
}
