import { Observable, Subscription } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import type { LoginCompletedNotification } from "./forLogin.js";
import { paramsOf, rootTurnIdIn, threadIdIn, turnIdIn, type Params } from "./ids.js";
import { intern } from "./intern.js";
import { LoginRoutes, type PendingLogin } from "./LoginRoutes.js";
import { tellEnd, type StreamEnd } from "../streams/StreamEnd.js";
import { ThreadTable, tellFollowers, type ThreadRoutes, type TurnOrigin, type TurnWatcher } from "./ThreadRoutes.js";
import { TurnCapture } from "./TurnCapture.js";

export type { PendingLogin } from "./LoginRoutes.js";
export type { TurnOrigin, TurnWatcher } from "./ThreadRoutes.js";

/** What the router reads: a connection's two hot streams (an `RpcConnection` is one). */
export interface RouterSource {
  readonly notifications$: Observable<Notification>;
  readonly serverRequests$: Observable<ServerRequestEvent>;
}

/**
 * A turn being started: capturing since {@link NotificationRouter.captureTurn}, before the
 * `turn/start` request is sent; {@link PendingTurn.claim} names it once the response has the id.
 */
export interface PendingTurn {
  /**
   * The response named the turn: opens its {@link TurnCapture}, delivers what was kept for that
   * id (in wire order), and routes the turn's later notifications to it.
   *
   * @param turnId the id from the `turn/start` response
   * @returns the turn's capture (already ended when the connection ended meanwhile)
   */
  claim(turnId: string): TurnCapture;
  /** The request failed: stop holding for it. */
  abandon(): void;
}

/**
 * @internal The keyed demultiplexer: ONE subscription to `notifications$` (and one to
 * `serverRequests$`) for the whole connection, routing each message by thread id → turn id → sink
 * (one `Map` lookup by turn id, checked against the thread id; a thread's table holds what is not
 * claimed yet), so the cost per notification does not grow with the number of open turns,
 * threads or logins. `Thread.turn()`, the per-turn server requests and the interactive
 * logins capture through it; the public operators (`forTurn`, `forThread`, `filterByKey`,
 * `untilTurnCompleted`, `forLogin`) are the same rules as plain filters for users' own pipelines.
 *
 * The contracts it keeps:
 * - Subscribe first, send second: {@link captureTurn} / {@link captureLogin} start holding before
 *   the request is written; the claim delivers what was kept for the id, in wire order; nothing
 *   that arrives in between is lost.
 * - Wire order within a turn; concurrent turns isolated (a turn's capture gets only its own id).
 * - Each turn's events are replayed to late subscribers ({@link TurnCapture}); the router lets go
 *   of a capture at `turn/completed`, so the replay lives and dies with its handle.
 * - When the wire ends, every open capture ends: `events$` errors with the wire's error, or
 *   completes when the client closed; a turn claimed afterwards ends at once.
 *
 * Hooks for the rest of the client:
 * - {@link watchThread}: a {@link TurnWatcher} called for every capture opened on the thread, and
 *   for a turn the server starts by itself (a goal continuation) a capture is opened at its
 *   `turn/started` and handed to the watchers before that notification is delivered. A
 *   notification of an unknown turn id that is not `turn/started` opens nothing (a late
 *   notification of a turn already completed stays out).
 * - {@link openTurns} / {@link openTurnsOn} / {@link turn}: the captures of the turns open now, by
 *   thread, e.g. to resume them after a reconnect; {@link TurnCapture.push} delivers extra notifications into a
 *   turn, {@link route} routes one as if it came from the wire.
 *
 * Its parts, one job per file: the thread tables (unclaimed notifications, watchers) in
 * `ThreadRoutes.ts`, the login attempts in `LoginRoutes.ts`, the string sharing of kept
 * notifications in `intern.ts`, each turn's sink in `TurnCapture.ts`.
 *
 * One router per connection: the connection's context makes it (two routers on one connection
 * would each do the work).
 *
 * @example
 * ```ts
 * const router = new NotificationRouter(rpc);
 * const pending = router.captureTurn(threadId);           // before turn/start is sent
 * try {
 *   const { turn } = await rpc.request("turn/start", params);
 *   const capture = pending.claim(turn.id);               // unclaimed events delivered, then live ones
 *   capture.events$.subscribe(console.log);
 * } catch (error) {
 *   pending.abandon();
 *   throw error;
 * }
 * ```
 */
export class NotificationRouter {
  private readonly threads = new ThreadTable();
  /** Every open turn by id (turn ids are unique): the hot path's one lookup; `threads` has the rest. */
  private readonly byTurn = new Map<string, TurnCapture>();
  private readonly logins = new LoginRoutes();
  /** How the wire ended; `undefined` while it is open. */
  private ended: StreamEnd | undefined;

  /**
   * Subscribes to both streams at once.
   *
   * @param source the connection
   */
  constructor(source: RouterSource) {
    source.notifications$.subscribe({
      next: (n) => this.route(n),
      error: (error: unknown) => this.end({ error }),
      complete: () => this.end("completed"),
    });
    if (this.ended === undefined) source.serverRequests$.subscribe((event) => this.routeRequest(event));
  }

  /**
   * Starts capturing the next turn on `threadId`, before its `turn/start` is sent.
   *
   * @param threadId the thread the turn will run on
   * @returns the pending capture: claim it with the turn id, or abandon it
   */
  captureTurn(threadId: string): PendingTurn {
    const routes = this.threads.routesOf(threadId);
    routes.pending += 1;
    const from = routes.unclaimed.length;
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      routes.pending -= 1;
      if (routes.pending === 0) this.releaseHeld(routes);
    };
    return {
      claim: (turnId) => {
        const capture = this.openCapture(routes, turnId, "client");
        if (open) {
          const unclaimed = routes.unclaimed;
          for (let i = from; i < unclaimed.length; i += 1) {
            const h = unclaimed[i];
            if (h === undefined || h.turnId !== turnId) continue;
            unclaimed[i] = undefined;
            if ("notification" in h) capture.push(h.notification);
            else capture.pushRequest(h.request);
          }
        }
        close();
        if (this.ended !== undefined) capture.end(this.ended === "completed" ? undefined : this.ended.error);
        return capture;
      },
      abandon: () => {
        close();
        this.threads.forgetIfIdle(routes);
      },
    };
  }

  /**
   * Calls `watcher` for every turn capture opened on `threadId` from now on (see {@link TurnWatcher}),
   * including turns the server starts by itself.
   *
   * @param threadId the thread to watch
   * @param watcher told of each capture and who opened it
   * @returns unsubscribe to stop watching
   */
  watchThread(threadId: string, watcher: TurnWatcher): Subscription {
    const routes = this.threads.routesOf(threadId);
    routes.watchers.push(watcher);
    return new Subscription(() => {
      const i = routes.watchers.indexOf(watcher);
      if (i >= 0) routes.watchers.splice(i, 1);
      this.threads.forgetIfIdle(routes);
    });
  }

  /**
   * Every notification of one thread from now on, in wire order: thread-scoped ones (its goal's
   * updates, its status) and those of all its turns, whether open, unclaimed or not ours; what
   * `notifications$.pipe(forThread(threadId))` gives, without a filter on the whole stream. A turn's
   * notification reaches the followers after its turn's capture. Completes (or errors) when the
   * wire ends; subscribed after that, at once.
   *
   * @param threadId the thread to follow
   * @returns a hot Observable of the thread's notifications
   */
  threadEvents$(threadId: string): Observable<Notification> {
    return new Observable<Notification>((subscriber) => {
      if (this.ended !== undefined) {
        tellEnd(subscriber, this.ended);
        return undefined;
      }
      return this.threads.follow(threadId, subscriber);
    });
  }

  /**
   * Starts capturing the completion of an interactive login, before `account/login/start` is sent.
   *
   * @returns the pending capture
   */
  captureLogin(): PendingLogin {
    return this.logins.capture();
  }

  /**
   * The turns open now (claimed or opened for the server, not yet completed), by thread.
   *
   * @returns one entry per thread with open turns, its captures in the order they were opened (a
   * copy: a turn that completes meanwhile stays in it)
   */
  openTurns(): { readonly threadId: string; readonly turns: readonly TurnCapture[] }[] {
    const out: { threadId: string; turns: TurnCapture[] }[] = [];
    for (const routes of this.threads.all()) if (routes.turns.length > 0) out.push({ threadId: routes.threadId, turns: [...routes.turns] });
    return out;
  }

  /**
   * The turns open now on one thread.
   *
   * @param threadId the thread
   * @returns its open turns' captures in the order they were opened (a copy), empty when none
   */
  openTurnsOn(threadId: string): readonly TurnCapture[] {
    const routes = this.threads.get(threadId);
    return routes === undefined ? [] : [...routes.turns];
  }

  /**
   * The capture of an open turn.
   *
   * @param threadId its thread
   * @param turnId the turn
   * @returns the capture, or undefined when the turn is not open
   */
  turn(threadId: string, turnId: string): TurnCapture | undefined {
    const capture = this.byTurn.get(turnId);
    return capture !== undefined && capture.threadId === threadId ? capture : undefined;
  }

  /**
   * Routes one notification: to its turn's capture, to the unclaimed notifications of a thread with a
   * `turn/start` in flight, to a new capture on a watched thread (`turn/started` of an unknown
   * turn), or to the login attempt it completes; then to the followers of its thread
   * ({@link threadEvents$}). Everything else is not ours to keep.
   *
   * @param n a validated notification, in wire order
   */
  route(n: Notification): void {
    if (n.method === "account/login/completed") {
      this.logins.route(n as LoginCompletedNotification);
      return;
    }
    // params read once for both ids (no pair made: this runs for every notification)
    const params = paramsOf(n);
    if (params === undefined) return;
    const threadId = threadIdIn(params);
    if (threadId === undefined) return;
    const turnId = turnIdIn(params);
    if (turnId === undefined) {
      const followers = this.threads.get(threadId)?.followers;
      if (followers !== undefined) tellFollowers(followers, n);
      return;
    }
    // A child turn's start (a review's) belongs to its running root turn: the handle of that turn
    // must see it, or it never learns the id the server wants for turn/interrupt.
    const capture = this.byTurn.get(turnId) ?? (n.method === "turn/started" ? this.rootCapture(params) : undefined);
    if (capture !== undefined && capture.threadId === threadId) {
      const followers = capture.thread.followers;
      capture.push(intern(n, capture));
      if (followers.length > 0) tellFollowers(followers, n);
      return;
    }
    const routes = this.threads.get(threadId);
    if (routes === undefined) return;
    const followers = routes.followers;
    if (routes.pending > 0) routes.unclaimed.push({ turnId, notification: n });
    else if (n.method === "turn/started" && routes.watchers.length > 0) this.openCapture(routes, turnId, "server").push(n);
    if (followers.length > 0) tellFollowers(followers, n);
  }

  /**
   * Routes one server request (with its answer) to the turn it was made in.
   *
   * @param event the request and the answer sent
   */
  routeRequest(event: ServerRequestEvent): void {
    const params = paramsOf(event.request);
    if (params === undefined) return;
    const threadId = threadIdIn(params);
    const turnId = turnIdIn(params);
    if (threadId === undefined || turnId === undefined) return;
    const capture = this.byTurn.get(turnId);
    if (capture !== undefined && capture.threadId === threadId) {
      capture.pushRequest(event);
      return;
    }
    const routes = this.threads.get(threadId);
    if (routes !== undefined && routes.pending > 0) routes.unclaimed.push({ turnId, request: event });
  }

  /** Opens a turn's capture and tells the watchers, before anything is delivered to it. */
  /** The capture of the running turn a child turn's `turn/started` names as its root, if any. */
  private rootCapture(params: Params): TurnCapture | undefined {
    const root = rootTurnIdIn(params);
    return root === undefined ? undefined : this.byTurn.get(root);
  }

  private openCapture(routes: ThreadRoutes, turnId: string, origin: TurnOrigin): TurnCapture {
    const threadId = routes.threadId;
    const existing = this.byTurn.get(turnId);
    if (existing !== undefined && existing.threadId === threadId) return existing;
    const capture = new TurnCapture(routes, turnId, () => {
      const i = routes.turns.indexOf(capture);
      if (i >= 0) routes.turns.splice(i, 1);
      if (this.byTurn.get(turnId) === capture) this.byTurn.delete(turnId);
      this.threads.forgetIfIdle(routes);
    });
    if (this.ended === undefined) {
      routes.turns.push(capture);
      this.byTurn.set(turnId, capture);
    }
    for (const watcher of [...routes.watchers]) watcher(capture, origin);
    return capture;
  }

  /**
   * The last `turn/start` in flight on a thread is answered: what nobody claimed is either a turn
   * the server started by itself (delivered to a new capture on a watched thread, from its
   * `turn/started`, in wire order) or not ours.
   */
  private releaseHeld(routes: ThreadRoutes): void {
    const unclaimed = routes.unclaimed;
    routes.unclaimed = [];
    for (const h of unclaimed) {
      if (h === undefined) continue;
      let capture = this.turn(routes.threadId, h.turnId);
      if (capture === undefined && "notification" in h && h.notification.method === "turn/started" && routes.watchers.length > 0) {
        capture = this.openCapture(routes, h.turnId, "server");
      }
      if (capture === undefined) continue;
      if ("notification" in h) capture.push(h.notification);
      else capture.pushRequest(h.request);
    }
  }

  /** The wire ended: every open capture and login ends with it; later claims end at once. */
  private end(end: StreamEnd): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    const error = end === "completed" ? undefined : end.error;
    for (const capture of [...this.byTurn.values()]) capture.end(error);
    this.threads.endFollowers(end);
    this.logins.end(end);
  }
}
