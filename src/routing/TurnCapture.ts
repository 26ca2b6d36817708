import type { Observable } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import { ReplayLog } from "./ReplayLog.js";

/**
 * @internal One turn's sink in the {@link NotificationRouter}: its notifications from the first
 * to `turn/completed` (inclusive) and the server requests made during it, each kept and replayed
 * to every subscriber (a `TurnHandle` is a view of one). It lives as long as whoever holds it: the
 * router lets go of it at `turn/completed` (or when the connection ends).
 *
 * `push` / `pushRequest` are also how code outside the wire (a reconnecting client resuming a
 * thread) delivers notifications into the turn: `turn/completed` ends it, whoever pushes it.
 */
export class TurnCapture {
  private readonly events = new ReplayLog<Notification>();
  private readonly requests = new ReplayLog<ServerRequestEvent>();
  /** Called once when the capture ends, whatever ended it (the router forgets the turn). */
  private onEnd: (() => void) | undefined;
  /** The turn's notifications, first to `turn/completed`, replayed; completes after `turn/completed`. */
  readonly events$: Observable<Notification> = this.events.values$;
  /** The turn's server requests with their answers, replayed; completes with the turn. */
  readonly serverRequests$: Observable<ServerRequestEvent> = this.requests.values$;

  /**
   * @param threadId the thread the turn runs on
   * @param turnId the turn
   * @param onEnd called once when the capture ends
   */
  constructor(
    readonly threadId: string,
    readonly turnId: string,
    onEnd?: () => void,
  ) {
    this.onEnd = onEnd;
  }

  /** True once `turn/completed` was delivered, or the capture was ended. */
  get done(): boolean {
    return this.events.done;
  }

  /** How many notifications are kept (the replay's length). */
  get size(): number {
    return this.events.size;
  }

  /**
   * Delivers one notification of this turn to its subscribers (and keeps it for later ones).
   * `turn/completed` is delivered, then ends the capture. Ignored once done.
   *
   * @param n a notification of this turn
   */
  push(n: Notification): void {
    if (this.events.done) return;
    this.events.push(n);
    if (n.method === "turn/completed") this.end();
  }

  /**
   * Delivers one server request (with its answer) made during this turn. Ignored once done.
   *
   * @param event the request and the answer sent
   */
  pushRequest(event: ServerRequestEvent): void {
    if (!this.events.done) this.requests.push(event);
  }

  /**
   * Ends the capture without `turn/completed`: `events$` completes (or errors with `error`),
   * `serverRequests$` completes. Idempotent.
   *
   * @param error when given, `events$` errors with it (the wire died)
   */
  end(error?: unknown): void {
    if (this.requests.done) return;
    if (error === undefined) this.events.complete();
    else this.events.error(error);
    this.requests.complete();
    const onEnd = this.onEnd;
    this.onEnd = undefined;
    onEnd?.();
  }
}
