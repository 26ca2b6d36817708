import { AsyncSubject, ReplaySubject, takeWhile } from "rxjs";
import type { ThreadStartResponse, TurnStartParams } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { filterByKey } from "../routing/filterByKey.js";
import { forThread } from "../routing/forThread.js";
import { turnIdOf } from "../routing/ids.js";
import { toUserInputs, type Input } from "./inputs.js";
import { TurnHandle } from "./TurnHandle.js";
import type { TurnResult } from "./TurnResult.js";

/**
 * Per-turn options: everything `turn/start` accepts besides the thread and the input, in the
 * wire's own camelCase (`model`, `effort`, `summary`, `outputSchema`, `cwd`, `personality`, …).
 */
export type TurnOptions = Omit<TurnStartParams, "threadId" | "input">;

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
  /** @internal Created by `Codex.threadStart()` / `threadResume()`. */
  constructor(
    private readonly rpc: RpcConnection,
    /** What the server said about the thread when this handle was made. */
    readonly info: ThreadInfo,
  ) {}

  /** The thread id (UUIDv7). */
  get id(): string {
    return this.info.id;
  }

  /**
   * Starts a turn and returns its handle as soon as the server has accepted it. The turn's events
   * are captured from before the request is sent, so nothing is lost.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides
   * @returns the {@link TurnHandle}
   * @throws {JsonRpcError} when the server rejects the turn (e.g. unknown thread)
   * @example
   * ```ts
   * const turn = await thread.turn("Explain ownership");
   * turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe((n) => process.stdout.write(n.params.delta));
   * const result = await turn.run();
   * ```
   */
  async turn(input: Input, options: TurnOptions = {}): Promise<TurnHandle> {
    // Subscribe first, send second: notifications for this thread are buffered until the response
    // names the turn, then only that turn's pass, until its turn/completed. The ReplaySubject is
    // the handle's own replay: it lives exactly as long as the handle does.
    const turnId$ = new AsyncSubject<string>();
    const replay = new ReplaySubject<Notification>();
    const capture = this.rpc.notifications$
      .pipe(
        forThread(this.id),
        filterByKey(turnId$, turnIdOf),
        takeWhile((n) => n.method !== "turn/completed", true),
      )
      .subscribe(replay);
    try {
      const { turn } = await this.rpc.request("turn/start", { ...options, threadId: this.id, input: toUserInputs(input) });
      turnId$.next(turn.id);
      turnId$.complete();
      return new TurnHandle(turn.id, this.id, replay.asObservable(), this.rpc);
    } catch (error) {
      capture.unsubscribe();
      throw error;
    }
  }

  /**
   * Starts a turn and waits for its result: `(await thread.turn(input, options)).run()`.
   *
   * @param input a string, an input item, or an array of both
   * @param options per-turn overrides
   * @returns the {@link TurnResult} (final response, items, usage, timing)
   * @throws {TurnFailedError} when the turn ends `failed`
   * @throws {JsonRpcError} when the server rejects the turn
   * @throws {TransportClosedError} when the app-server goes away first
   * @example
   * ```ts
   * const result = await thread.run("Say hello");
   * console.log(result.finalResponse);
   * ```
   */
  async run(input: Input, options?: TurnOptions): Promise<TurnResult> {
    return (await this.turn(input, options)).run();
  }
}
