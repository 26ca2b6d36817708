import { EMPTY, concat, defer, filter, firstValueFrom, lastValueFrom, map, scan, throwError, type Observable } from "rxjs";
import { isNotification, type Notification } from "../protocol/notifications.js";
import { abortErrorOf, type AbortError } from "../errors/index.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import type { TurnCapture } from "../routing/TurnCapture.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import { toUserInputs, type Input } from "./inputs.js";
import { toAsyncIterable } from "./toAsyncIterable.js";
import type { OutputParser } from "./structuredOutput.js";
import { initialTurnState, turnReducer, type TurnState } from "../routing/turnReducer.js";
import { toTurnResult, type TurnResult } from "./TurnResult.js";

/** @internal What `Thread` hands a new handle. */
export interface TurnHandleInit<T> {
  /** The turn's capture on the connection's router: its replay, server requests and fold. */
  readonly capture: TurnCapture;
  readonly context: ConnectionContext;
  readonly signal?: AbortSignal | undefined;
  /** Present when the turn was started with an `outputSchema`. */
  readonly parseOutput?: OutputParser<T> | undefined;
}

/**
 * One running (or finished) turn. Its events were captured from before `turn/start` was sent, so
 * `events$` — subscribed at any time, even after completion — replays the whole turn, from its
 * first event to `turn/completed`, then completes. The replay lives and dies with this handle.
 *
 * @typeParam T the type of `TurnResult.structuredOutput` (from a zod `outputSchema`)
 * @example
 * ```ts
 * const turn = await thread.turn("Explain ownership");
 * turn.progress$.subscribe((s) => render(s.text));
 * const result = await turn.run();
 * ```
 */
export class TurnHandle<T = unknown> {
  /** The turn id (UUIDv7 from the server). */
  readonly id: string;
  readonly threadId: string;
  /**
   * This turn's notifications, from its first to `turn/completed` (inclusive), replayed to late
   * subscribers. Completes after `turn/completed` whatever the turn's status; errors with
   * `TransportClosedError` if the wire dies first.
   */
  readonly events$: Observable<Notification>;
  /**
   * The server requests made during this turn (approvals, user input, …) with the answer that
   * was sent, replayed like `events$`; completes with the turn.
   */
  readonly serverRequests$: Observable<ServerRequestEvent>;
  /** `scan(turnReducer)`: a new {@link TurnState} snapshot per event, for live UIs. */
  readonly progress$: Observable<TurnState>;
  /**
   * `reduce(turnReducer)` then {@link toTurnResult}: one {@link TurnResult}, then complete. Fails with
   * `TurnFailedError` (status failed), `TurnIncompleteError` (no `turn/completed`), `AbortError`
   * (its signal aborted) or `StructuredOutputError` (an `outputSchema` answer that does not parse).
   */
  readonly result$: Observable<TurnResult<T>>;
  private readonly capture: TurnCapture;
  private readonly context: ConnectionContext;
  private readonly signal: AbortSignal | undefined;

  /** @internal Created by `Thread` (`turn()`, `turns$`). */
  constructor(init: TurnHandleInit<T>) {
    const { capture, signal, parseOutput } = init;
    this.capture = capture;
    this.id = capture.turnId;
    this.threadId = capture.threadId;
    this.context = init.context;
    this.signal = signal;
    this.events$ = capture.events$;
    this.serverRequests$ = capture.serverRequests$;
    this.progress$ = this.events$.pipe(scan(turnReducer, initialTurnState));
    // The capture's own running fold, not reduce over events$: no subscriber per event, so with
    // many turns open each event touches its own turn's state only.
    const finalState$ = capture.fold(turnReducer, initialTurnState);
    this.result$ = finalState$.pipe(
      map((state): TurnResult<T> => {
        if (signal?.aborted) throw this.aborted(signal);
        const result = toTurnResult(state);
        return { ...result, structuredOutput: parseOutput === undefined ? null : parseOutput(result.finalResponse) };
      }),
    );
    if (signal !== undefined) this.interruptOnAbort(signal, finalState$);
  }

  /**
   * `for await (const event of turn)`: this turn's notifications, as `events$` (replayed from the
   * first, every one, in order; events that arrive while the loop body runs are queued, not
   * lost). `break` stops the iteration and cancels nothing on the server. When the turn's `signal`
   * aborted it, the loop gets every event up to `turn/completed`, then throws `AbortError`.
   *
   * @returns an async iterator over the turn's notifications
   * @throws {AbortError} after the last event, when the turn's `signal` aborted it
   * @example
   * ```ts
   * for await (const event of turn) {
   *   if (isNotification(event, "item/agentMessage/delta")) process.stdout.write(event.params.delta);
   * }
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<Notification> {
    return toAsyncIterable(this.failIfAborted(this.events$));
  }

  /**
   * `for await (const state of turn.progress())`: live {@link TurnState} snapshots. A slow loop
   * gets the newest snapshot when it asks for the next one (intermediate ones are skipped: each
   * snapshot already contains everything before it); the last one is always delivered, then, when
   * the turn's `signal` aborted it, `AbortError` is thrown.
   *
   * @returns an async iterable of snapshots, ending when the turn completes
   * @throws {AbortError} after the last snapshot, when the turn's `signal` aborted it
   * @example
   * ```ts
   * for await (const state of turn.progress()) render(state.text, state.items.length);
   * ```
   */
  progress(): AsyncIterableIterator<TurnState> {
    return toAsyncIterable(this.failIfAborted(this.progress$), { latestOnly: true });
  }

  /** `source`, then `AbortError` instead of completion when the turn's signal aborted it (as `run()`). */
  private failIfAborted<V>(source: Observable<V>): Observable<V> {
    const signal = this.signal;
    if (signal === undefined) return source;
    return concat(
      source,
      defer(() => (signal.aborted ? throwError(() => this.aborted(signal)) : EMPTY)),
    );
  }

  /** The error of a turn its signal aborted. */
  private aborted(signal: AbortSignal): AbortError {
    return abortErrorOf(`turn ${this.id}`, signal.reason);
  }

  /**
   * Waits for the turn to end and returns its result: `lastValueFrom(result$)`.
   *
   * @returns the {@link TurnResult}
   * @throws {TurnFailedError} when the turn ends `failed`
   * @throws {TurnIncompleteError} when the stream ends without `turn/completed`
   * @throws {AbortError} when the turn's `signal` aborted it
   * @throws {TransportClosedError} when the app-server goes away first
   */
  run(): Promise<TurnResult<T>> {
    return lastValueFrom(this.result$);
  }

  /**
   * Asks the server to stop the turn (`turn/interrupt`); the turn then completes with status
   * `interrupted`. The process keeps running and the thread stays usable. Waits for the turn to
   * be active first (the server refuses an interrupt before `turn/started`); a turn that is
   * already over is left alone.
   *
   * @throws {JsonRpcError} when the server refuses for another reason
   * @example
   * ```ts
   * setTimeout(() => void turn.interrupt(), 1000);
   * const result = await turn.run(); // result.status === "interrupted"
   * ```
   */
  async interrupt(): Promise<void> {
    const turnId = await this.active();
    if (turnId === undefined) return;
    try {
      await this.context.rpc.request("turn/interrupt", { threadId: this.threadId, turnId });
    } catch (error) {
      // The turn may have finished while the request was on its way: nothing left to interrupt.
      if (!this.capture.done) throw error;
    }
  }

  /**
   * Adds input to the running turn (`turn/steer`, guarded by `expectedTurnId`): the model sees it
   * at its next step, without a new turn.
   *
   * @param input text or input items
   * @throws {JsonRpcError} when the turn is no longer running
   * @example
   * ```ts
   * await turn.steer("Focus on the failing test only.");
   * ```
   */
  async steer(input: Input): Promise<void> {
    const turnId = (await this.active()) ?? this.id;
    await this.context.rpc.request("turn/steer", { threadId: this.threadId, expectedTurnId: turnId, input: toUserInputs(input) });
  }

  /**
   * Waits until the server has started the turn: it refuses `turn/interrupt` and `turn/steer`
   * ("no active turn") between the `turn/start` response and `turn/started`.
   *
   * @returns the id the server started the turn under (a review's child turn has one of its own),
   *   or undefined when the turn is already over (or its stream ended) before it started
   */
  private active(): Promise<string | undefined> {
    return firstValueFrom(
      this.events$.pipe(
        filter((n) => n.method === "turn/started" || n.method === "turn/completed"),
        map((n) => (isNotification(n, "turn/started") && !this.capture.done ? n.params.turn.id : undefined)),
      ),
      { defaultValue: undefined },
    );
  }

  /** An abort interrupts the turn on the server (never kills the process); cleaned up when the turn ends. */
  private interruptOnAbort(signal: AbortSignal, end$: Observable<unknown>): void {
    const onAbort = (): void => {
      // The turn may already be over; a refused interrupt changes nothing.
      this.interrupt().catch(() => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });
    const cleanup = (): void => signal.removeEventListener("abort", onAbort);
    end$.subscribe({ complete: cleanup, error: cleanup });
  }
}
