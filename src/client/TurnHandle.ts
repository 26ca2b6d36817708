import { lastValueFrom, map, reduce, scan, type Observable } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { toUserInputs, type Input } from "./inputs.js";
import { initialTurnState, turnReducer, type TurnState } from "./turnReducer.js";
import { toTurnResult, type TurnResult } from "./TurnResult.js";

/**
 * One running (or finished) turn. Its events were captured from before `turn/start` was sent, so
 * `events$` — subscribed at any time, even after completion — replays the whole turn, from its
 * first event to `turn/completed`, then completes. The replay lives and dies with this handle.
 *
 * @example
 * ```ts
 * const turn = await thread.turn("Explain ownership");
 * turn.progress$.subscribe((s) => render(s.text));
 * const result = await turn.run();
 * ```
 */
export class TurnHandle {
  /**
   * This turn's notifications, from its first to `turn/completed` (inclusive), replayed to late
   * subscribers. Completes after `turn/completed` whatever the turn's status; errors with
   * `TransportClosedError` if the wire dies first.
   */
  readonly events$: Observable<Notification>;
  /** `scan(turnReducer)`: a new {@link TurnState} snapshot per event, for live UIs. */
  readonly progress$: Observable<TurnState>;
  /**
   * `reduce(turnReducer)` then {@link toTurnResult}: one {@link TurnResult}, then complete. Fails with
   * `TurnFailedError` (status failed) or `TurnIncompleteError` (no `turn/completed`).
   */
  readonly result$: Observable<TurnResult>;

  /** @internal Created by `Thread.turn()`. */
  constructor(
    /** The turn id (UUIDv7 from the server). */
    readonly id: string,
    readonly threadId: string,
    events$: Observable<Notification>,
    private readonly rpc: RpcConnection,
  ) {
    this.events$ = events$;
    this.progress$ = events$.pipe(scan(turnReducer, initialTurnState));
    this.result$ = events$.pipe(reduce(turnReducer, initialTurnState), map(toTurnResult));
  }

  /**
   * Waits for the turn to end and returns its result: `lastValueFrom(result$)`.
   *
   * @returns the {@link TurnResult}
   * @throws {TurnFailedError} when the turn ends `failed`
   * @throws {TurnIncompleteError} when the stream ends without `turn/completed`
   * @throws {TransportClosedError} when the app-server goes away first
   */
  run(): Promise<TurnResult> {
    return lastValueFrom(this.result$);
  }

  /**
   * Asks the server to stop the turn (`turn/interrupt`); the turn then completes with status
   * `interrupted`. The process keeps running and the thread stays usable.
   *
   * @throws {JsonRpcError} when the server refuses (e.g. the turn already finished)
   */
  async interrupt(): Promise<void> {
    await this.rpc.request("turn/interrupt", { threadId: this.threadId, turnId: this.id });
  }

  /**
   * Adds input to the running turn (`turn/steer`, guarded by `expectedTurnId`).
   *
   * @param input text or input items
   * @throws {JsonRpcError} when the turn is no longer running
   */
  async steer(input: Input): Promise<void> {
    await this.rpc.request("turn/steer", { threadId: this.threadId, expectedTurnId: this.id, input: toUserInputs(input) });
  }
}
