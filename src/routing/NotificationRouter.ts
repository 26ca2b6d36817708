import { Subscription, type Observable } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import type { ServerRequestEvent } from "../rpc/RpcConnection.js";
import type { LoginCompletedNotification } from "./forLogin.js";
import { threadIdOf, turnIdOf } from "./ids.js";
import { loginIdOf } from "./loginIdOf.js";
import { ReplayLog } from "./ReplayLog.js";
import { TurnCapture } from "./TurnCapture.js";

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
   * The response named the turn: opens its {@link TurnCapture}, delivers what was held for that
   * id (in wire order), and routes the turn's later notifications to it.
   *
   * @param turnId the id from the `turn/start` response
   * @returns the turn's capture (already ended when the connection ended meanwhile)
   */
  claim(turnId: string): TurnCapture;
  /** The request failed: stop holding for it. */
  abandon(): void;
}

/** A login being started: capturing since {@link NotificationRouter.captureLogin}, before `account/login/start` is sent. */
export interface PendingLogin {
  /**
   * The attempt's `account/login/completed`, at most one value, then complete; replayed to late
   * subscribers. Errors when the wire dies; completes empty when the connection closes first.
   */
  readonly completed$: Observable<LoginCompletedNotification>;
  /**
   * The response named the attempt: delivers its completion if it was held, else waits for it.
   *
   * @param loginId the id from the `account/login/start` response
   */
  claim(loginId: string): void;
  /** The attempt is given up (the request failed, the caller stopped): forget it. */
  abandon(): void;
}

/** Who opened a turn's capture: a `turn/start` of this client, or the server by itself. */
export type TurnOrigin = "client" | "server";

/**
 * Told of every turn capture opened on a watched thread; for a turn the server started by itself
 * it is called before that turn's first notification is delivered (so a handle made here sees it).
 */
export type TurnWatcher = (capture: TurnCapture, origin: TurnOrigin) => void;

/** One thread's routing table. */
interface ThreadRoutes {
  /** The open turns, in the order they were opened (usually one; a thread runs a turn at a time). */
  readonly turns: TurnCapture[];
  /**
   * Turn-scoped notifications (and server requests) of turns nobody has claimed yet, kept while a
   * `turn/start` is in flight on this thread (one of them may be its turn). Claimed slots are
   * cleared to `undefined`.
   */
  held: (Held | undefined)[];
  /** How many `turn/start` requests are in flight on this thread. */
  pending: number;
  readonly watchers: TurnWatcher[];
}

type Held = { readonly turnId: string; readonly notification: Notification } | { readonly turnId: string; readonly request: ServerRequestEvent };

interface LoginWait {
  readonly log: ReplayLog<LoginCompletedNotification>;
  loginId: string | undefined;
  /** Index in `heldLogins` from which this attempt's completion may be. */
  readonly from: number;
  active: boolean;
}

const routers = new WeakMap<RouterSource, NotificationRouter>();

/** Method names seen, each kept once (bounded: the protocol has about a hundred). */
const methodNames = new Map<string, string>();

/**
 * A kept notification shares its turn's strings: its `method`, `params.threadId`, `params.turnId`
 * (`params.turn.id`) and `params.itemId` are equal to strings already held (by the capture, or here for method
 * names), but JSON.parse makes a fresh copy of each per line. Swapping in the held copy where the
 * field is there (same value: nothing observable changes) shrinks what a turn's replay keeps per
 * delta by more than half, and with it the GC's work.
 */
function intern(n: Notification, capture: TurnCapture): Notification {
  const w = n as { method: string; params: Record<string, unknown> };
  const method = methodNames.get(w.method);
  if (method !== undefined) w.method = method;
  else if (methodNames.size < 1024) methodNames.set(w.method, w.method);
  const p = w.params;
  if (p["threadId"] === capture.threadId) p["threadId"] = capture.threadId;
  if (p["turnId"] === capture.turnId) p["turnId"] = capture.turnId;
  // turn/started and turn/completed name the turn in params.turn.id: the reducer keeps that copy
  // as TurnState.turnId and compares every later event's id with it (by pointer, once shared).
  const turn = p["turn"];
  if (turn !== null && typeof turn === "object" && (turn as Record<string, unknown>)["id"] === capture.turnId) (turn as Record<string, unknown>)["id"] = capture.turnId;
  const itemId = p["itemId"];
  if (typeof itemId === "string") p["itemId"] = capture.itemIdOf(itemId);
  return n;
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
 *   the request is written; the claim delivers what was held for the id, in wire order; nothing
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
 * - {@link openTurns} / {@link turn}: the turns open now, by thread, and their captures, e.g. to
 *   resume them after a reconnect; {@link TurnCapture.push} delivers extra notifications into a
 *   turn, {@link route} routes one as if it came from the wire.
 *
 * One router per connection: {@link NotificationRouter.of}.
 *
 * @example
 * ```ts
 * const router = NotificationRouter.of(rpc);
 * const pending = router.captureTurn(threadId);           // before turn/start is sent
 * try {
 *   const { turn } = await rpc.request("turn/start", params);
 *   const capture = pending.claim(turn.id);               // held events delivered, then live ones
 *   capture.events$.subscribe(console.log);
 * } catch (error) {
 *   pending.abandon();
 *   throw error;
 * }
 * ```
 */
export class NotificationRouter {
  private readonly threads = new Map<string, ThreadRoutes>();
  /** Every open turn by id (turn ids are unique): the hot path's one lookup; `threads` has the rest. */
  private readonly byTurn = new Map<string, TurnCapture>();
  private readonly logins = new Map<string, LoginWait>();
  /** Login completions kept while an `account/login/start` is in flight (for the attempts in `loginWaits`). */
  private heldLogins: LoginCompletedNotification[] = [];
  private heldLoginsBase = 0;
  /** The attempts not named yet (their `account/login/start` is in flight). */
  private readonly loginWaits = new Set<LoginWait>();
  /** `undefined` while the wire is open; `null` once it completed; `{ error }` once it died. */
  private ended: { readonly error: unknown } | null | undefined;

  /**
   * The router of a connection, made (and subscribed) on first use.
   *
   * @param source the connection (its `notifications$` and `serverRequests$`)
   * @returns the one router of that connection
   */
  static of(source: RouterSource): NotificationRouter {
    let router = routers.get(source);
    if (router === undefined) {
      router = new NotificationRouter(source);
      routers.set(source, router);
    }
    return router;
  }

  /**
   * Subscribes to both streams at once. Prefer {@link NotificationRouter.of}: two routers on one
   * connection would each do the work.
   *
   * @param source the connection
   */
  constructor(source: RouterSource) {
    source.notifications$.subscribe({
      next: (n) => this.route(n),
      error: (error: unknown) => this.end({ error }),
      complete: () => this.end(null),
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
    const routes = this.routesOf(threadId);
    routes.pending += 1;
    const from = routes.held.length;
    let open = true;
    const close = (): void => {
      if (!open) return;
      open = false;
      routes.pending -= 1;
      if (routes.pending === 0) this.releaseHeld(threadId, routes);
    };
    return {
      claim: (turnId) => {
        const capture = this.openCapture(threadId, routes, turnId, "client");
        if (open) {
          const held = routes.held;
          for (let i = from; i < held.length; i += 1) {
            const h = held[i];
            if (h === undefined || h.turnId !== turnId) continue;
            held[i] = undefined;
            if ("notification" in h) capture.push(h.notification);
            else capture.pushRequest(h.request);
          }
        }
        close();
        if (this.ended !== undefined) capture.end(this.ended === null ? undefined : this.ended.error);
        return capture;
      },
      abandon: () => {
        close();
        this.forgetIfIdle(threadId, routes);
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
    const routes = this.routesOf(threadId);
    routes.watchers.push(watcher);
    return new Subscription(() => {
      const i = routes.watchers.indexOf(watcher);
      if (i >= 0) routes.watchers.splice(i, 1);
      this.forgetIfIdle(threadId, routes);
    });
  }

  /**
   * Starts capturing the completion of an interactive login, before `account/login/start` is sent.
   *
   * @returns the pending capture
   */
  captureLogin(): PendingLogin {
    const wait: LoginWait = { log: new ReplayLog(), loginId: undefined, from: this.heldLoginsBase + this.heldLogins.length, active: true };
    this.loginWaits.add(wait);
    if (this.ended !== undefined && this.ended !== null) this.endLogin(wait);
    return {
      completed$: wait.log.values$,
      claim: (loginId) => {
        if (!wait.active || wait.loginId !== undefined) return;
        wait.loginId = loginId;
        const start = wait.from - this.heldLoginsBase;
        const held = this.heldLogins.slice(Math.max(0, start)).find((n) => loginIdOf(n) === loginId);
        this.unhold(wait);
        if (held !== undefined) this.settleLogin(wait, held);
        else if (this.ended !== undefined) this.endLogin(wait);
        else this.logins.set(loginId, wait);
      },
      abandon: () => {
        wait.active = false;
        this.unhold(wait);
        if (wait.loginId !== undefined && this.logins.get(wait.loginId) === wait) this.logins.delete(wait.loginId);
      },
    };
  }

  /**
   * The turns open now (claimed or opened for the server, not yet completed), by thread.
   *
   * @returns one entry per thread with open turns, its turn ids in the order they were opened
   */
  openTurns(): { readonly threadId: string; readonly turnIds: readonly string[] }[] {
    const out: { threadId: string; turnIds: string[] }[] = [];
    for (const [threadId, routes] of this.threads) if (routes.turns.length > 0) out.push({ threadId, turnIds: routes.turns.map((c) => c.turnId) });
    return out;
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
   * Routes one notification: to its turn's capture, to the held notifications of a thread with a
   * `turn/start` in flight, to a new capture on a watched thread (`turn/started` of an unknown
   * turn), or to the login attempt it completes. Everything else is not ours to keep.
   *
   * @param n a validated notification, in wire order
   */
  route(n: Notification): void {
    if (n.method === "account/login/completed") {
      this.routeLogin(n as LoginCompletedNotification);
      return;
    }
    const turnId = turnIdOf(n);
    if (turnId === undefined) return;
    const threadId = threadIdOf(n);
    if (threadId === undefined) return;
    const capture = this.byTurn.get(turnId);
    if (capture !== undefined && capture.threadId === threadId) {
      capture.push(intern(n, capture));
      return;
    }
    const routes = this.threads.get(threadId);
    if (routes === undefined) return;
    if (routes.pending > 0) routes.held.push({ turnId, notification: n });
    else if (n.method === "turn/started" && routes.watchers.length > 0) this.openCapture(threadId, routes, turnId, "server").push(n);
  }

  /**
   * Routes one server request (with its answer) to the turn it was made in.
   *
   * @param event the request and the answer sent
   */
  routeRequest(event: ServerRequestEvent): void {
    const params = event.request.params;
    if (params === null || typeof params !== "object") return;
    const { threadId, turnId } = params as { threadId?: unknown; turnId?: unknown };
    if (typeof threadId !== "string" || typeof turnId !== "string") return;
    const capture = this.byTurn.get(turnId);
    if (capture !== undefined && capture.threadId === threadId) {
      capture.pushRequest(event);
      return;
    }
    const routes = this.threads.get(threadId);
    if (routes !== undefined && routes.pending > 0) routes.held.push({ turnId, request: event });
  }

  private routesOf(threadId: string): ThreadRoutes {
    let routes = this.threads.get(threadId);
    if (routes === undefined) {
      routes = { turns: [], held: [], pending: 0, watchers: [] };
      this.threads.set(threadId, routes);
    }
    return routes;
  }

  /** Drops a thread's table once nothing is open, held, pending or watching on it. */
  private forgetIfIdle(threadId: string, routes: ThreadRoutes): void {
    if (routes.turns.length === 0 && routes.pending === 0 && routes.watchers.length === 0 && this.threads.get(threadId) === routes) this.threads.delete(threadId);
  }

  /** Opens a turn's capture and tells the watchers, before anything is delivered to it. */
  private openCapture(threadId: string, routes: ThreadRoutes, turnId: string, origin: TurnOrigin): TurnCapture {
    const existing = this.byTurn.get(turnId);
    if (existing !== undefined && existing.threadId === threadId) return existing;
    const capture = new TurnCapture(threadId, turnId, () => {
      const i = routes.turns.indexOf(capture);
      if (i >= 0) routes.turns.splice(i, 1);
      if (this.byTurn.get(turnId) === capture) this.byTurn.delete(turnId);
      this.forgetIfIdle(threadId, routes);
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
  private releaseHeld(threadId: string, routes: ThreadRoutes): void {
    const held = routes.held;
    routes.held = [];
    for (const h of held) {
      if (h === undefined) continue;
      let capture = this.turn(threadId, h.turnId);
      if (capture === undefined && "notification" in h && h.notification.method === "turn/started" && routes.watchers.length > 0) {
        capture = this.openCapture(threadId, routes, h.turnId, "server");
      }
      if (capture === undefined) continue;
      if ("notification" in h) capture.push(h.notification);
      else capture.pushRequest(h.request);
    }
  }

  private routeLogin(n: LoginCompletedNotification): void {
    const loginId = loginIdOf(n);
    if (loginId === undefined) return;
    const wait = this.logins.get(loginId);
    if (wait !== undefined) {
      this.logins.delete(loginId);
      this.settleLogin(wait, n);
      return;
    }
    if (this.loginWaits.size > 0) this.heldLogins.push(n);
  }

  /** An attempt no longer needs the held completions; drop them once no attempt does. */
  private unhold(wait: LoginWait): void {
    this.loginWaits.delete(wait);
    if (this.loginWaits.size === 0) {
      this.heldLoginsBase += this.heldLogins.length;
      this.heldLogins = [];
    }
  }

  private settleLogin(wait: LoginWait, n: LoginCompletedNotification): void {
    wait.active = false;
    wait.log.push(n);
    wait.log.complete();
  }

  private endLogin(wait: LoginWait): void {
    wait.active = false;
    if (this.ended === null || this.ended === undefined) wait.log.complete();
    else wait.log.error(this.ended.error);
  }

  /** The wire ended: every open capture and login ends with it; later claims end at once. */
  private end(ended: { readonly error: unknown } | null): void {
    if (this.ended !== undefined) return;
    this.ended = ended;
    const error = ended === null ? undefined : ended.error;
    for (const capture of [...this.byTurn.values()]) capture.end(error);
    for (const wait of [...this.logins.values()]) this.endLogin(wait);
    this.logins.clear();
    // An attempt not named yet learns of a completed wire at its claim (a held completion may still
    // be its own), of a dead one at once.
    if (ended !== null) for (const wait of this.loginWaits) this.endLogin(wait);
  }
}
