// The facade's half of reconnecting: the transport reports drops and new connections; this file
// knows what a session is (initialize, threads, turns in flight) and puts it back together.
import { BehaviorSubject, catchError, concat, defer, endWith, ignoreElements, of, type Observable } from "rxjs";
import type { InitializeParams, ThreadItem, Turn } from "../protocol/generated/index.js";
import { isNotification, type Notification, type NotificationOf } from "../protocol/notifications.js";
import { asCodexError, CodexError, ConnectionLostError, messageOf } from "../errors/index.js";
import type { DirectRequest, RpcConnection } from "../rpc/RpcConnection.js";
import type { NotificationRouter } from "../routing/NotificationRouter.js";
import type { TurnCapture } from "../routing/TurnCapture.js";
import type { ConnectionState } from "../transport/ConnectionState.js";

/** The method of the marker a turn's stream gets when its connection dropped: events may be missing from here. */
export const GAP_METHOD = "codex-rx/gap";

/**
 * The marker on a turn's stream (`turn.events$`, `codex.notifications$`) where the connection
 * dropped while the turn ran: deltas (and other live events) sent by the server before the
 * session was resumed are missing after it. Items are not lost: each completed item still arrives
 * as `item/completed`, from the server or, for what completed during the gap, from the thread's
 * record. An `UnknownNotification` as far as the protocol goes (`turnReducer` ignores it).
 */
export interface GapNotification {
  readonly method: typeof GAP_METHOD;
  readonly params: {
    readonly threadId: string;
    readonly turnId: string;
    /** Why the connection dropped. */
    readonly reason: string;
  };
}

/**
 * Type guard: is `n` the {@link GapNotification} a dropped connection leaves on a turn's stream?
 *
 * @param n any notification
 * @returns true for a `codex-rx/gap` marker
 * @example
 * ```ts
 * turn.events$.pipe(filter(isGap)).subscribe(() => ui.showGap());
 * ```
 */
export function isGap(n: Notification): n is GapNotification {
  return n.method === GAP_METHOD;
}

/** @internal What a {@link Session} reads from its connection's context. */
export interface SessionConnection {
  readonly rpc: RpcConnection;
  /** The connection's router: its open captures are the turns in flight. */
  readonly router: NotificationRouter;
}

/**
 * One per connection, on its `ConnectionContext`: what `Codex` needs to restore after a reconnect.
 * It keeps only the thread handles (the router does not know them); the turns in flight and the
 * items each has seen completed are read from the connection's router (its open captures and
 * their replay logs) when a drop or a resume needs them, and a gapped turn's held end sits on its
 * capture (`TurnCapture.holdEnd`).
 */
export class Session {
  private readonly threads = new Map<string, WeakRef<object>>();
  /** Forgets a thread once its handle is collected, so the map does not grow with threads nobody holds. */
  private readonly collected = new FinalizationRegistry<string>((id) => {
    if (this.threads.get(id)?.deref() === undefined) this.threads.delete(id);
  });
  private readonly state: BehaviorSubject<ConnectionState>;
  private down = false;
  private attempt = 0;
  /** False over a transport that cannot reconnect: there is nothing to restore, so no thread is kept. */
  private readonly restores: boolean;
  private readonly rpc: RpcConnection;
  /** The connection as the user sees it: `open` again only once the session is restored. */
  readonly connection$: Observable<ConnectionState>;

  constructor(
    private readonly connection: SessionConnection,
    private readonly initialize: InitializeParams,
  ) {
    const rpc = connection.rpc;
    this.rpc = rpc;
    this.state = new BehaviorSubject<ConnectionState>({ state: "open" });
    const transport$ = rpc.transport.connection$;
    this.restores = transport$ !== undefined;
    if (transport$ === undefined) {
      // A transport that cannot reconnect (stdio): nothing to restore, so nothing to track; the
      // state is derived on demand (open, then closed when the stream ends) and costs no subscription.
      this.connection$ = defer(() =>
        rpc.closed
          ? of<ConnectionState>({ state: "closed" })
          : concat(
              of<ConnectionState>({ state: "open" }),
              rpc.notifications$.pipe(
                ignoreElements(),
                endWith<ConnectionState>({ state: "closed" }),
                catchError((error: unknown) => of<ConnectionState>({ state: "closed", error: asCodexError(error) })),
              ),
            ),
      );
      return;
    }
    this.connection$ = this.state.asObservable();
    rpc.notifications$.subscribe({
      error: (error: unknown) => this.end(asCodexError(error)),
      complete: () => this.end(undefined),
    });
    transport$.subscribe((c) => {
      if (c.state !== "reconnecting") return;
      this.attempt = c.attempt ?? 1;
      if (!this.down) {
        this.down = true;
        this.markGaps(c.error?.message ?? "connection lost");
      }
      this.state.next(c);
    });
    rpc.setSessionRestorer((request, notify) => this.restore(request, notify));
  }

  /**
   * Remembers a thread handle: resumed after a reconnect for as long as the handle is alive.
   * Called by whoever makes the handle (the Codex's thread factory).
   */
  adopt(threadId: string, handle: object): void {
    if (!this.restores) return;
    this.threads.set(threadId, new WeakRef(handle));
    this.collected.register(handle, threadId);
  }

  /** The connection's router, read when needed (it is made on first use). */
  private get router(): NotificationRouter {
    return this.connection.router;
  }

  /**
   * At the drop: a gap marker on every open turn (through the spine, so it is in the turn's
   * replay and on `notifications$`), and the turn's end held back until what the gap missed is in.
   */
  private markGaps(reason: string): void {
    for (const { turns } of this.router.openTurns()) {
      for (const capture of turns) {
        const gap: GapNotification = { method: GAP_METHOD, params: { threadId: capture.threadId, turnId: capture.turnId, reason } };
        this.rpc.emitLocal(gap);
        capture.holdEnd((end) => {
          if (isNotification(end, "turn/completed")) void this.endWithRecord(capture, end);
        });
      }
    }
  }

  /**
   * The server's end of a turn that had a gap. An item can complete after the resume's snapshot
   * but before the new connection got the live stream: neither has it. The thread's record (and
   * the summary in turn/completed) does; deliver what is missing first, then this end.
   */
  private async endWithRecord(capture: TurnCapture, end: NotificationOf<"turn/completed">): Promise<void> {
    const { threadId, turn } = end.params;
    let items: readonly ThreadItem[] = turn.items;
    try {
      const { thread } = await this.rpc.request("thread/read", { threadId, includeTurns: true });
      const recorded = thread.turns.find((t) => t.id === turn.id)?.items ?? [];
      // The record first; completeMissing skips an id it has delivered, so the summary adds only what the record lacks.
      items = [...recorded, ...turn.items];
    } catch {
      // No record to be had (the connection went for good: the stream errors anyway): the summary is what there is.
    }
    this.completeMissing(capture, items);
    // The server's end is on notifications$ already: it goes to the turn alone.
    capture.holdEnd(undefined);
    capture.push(end);
  }

  /** Delivers, as `item/completed`, the items the turn's replay has not seen completed. */
  private completeMissing(capture: TurnCapture, items: readonly ThreadItem[]): void {
    const seen = completedItemIds(capture);
    const { threadId, turnId } = capture;
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      this.rpc.emitLocal({ method: "item/completed", params: { threadId, turnId, item, completedAtMs: Date.now() } });
    }
  }

  /** On a new connection: initialize, resume every thread with a live handle or a turn in flight, settle the turns. */
  private async restore(request: DirectRequest, notify: (method: string) => void): Promise<void> {
    await request("initialize", this.initialize);
    notify("initialized");
    const threadIds = new Set<string>();
    for (const [id, ref] of this.threads) {
      if (ref.deref() === undefined) this.threads.delete(id);
      else threadIds.add(id);
    }
    for (const { threadId } of this.router.openTurns()) threadIds.add(threadId);
    await Promise.all([...threadIds].map((threadId) => this.resume(request, threadId)));
    this.down = false;
    this.state.next({ state: "open", attempt: this.attempt });
  }

  private async resume(request: DirectRequest, threadId: string): Promise<void> {
    let turns: readonly Turn[];
    try {
      ({
        thread: { turns },
      } = await request("thread/resume", { threadId }));
    } catch (error) {
      if (error instanceof ConnectionLostError) throw error;
      const message = `the thread could not be resumed after a reconnect: ${messageOf(error)}`;
      for (const capture of this.router.openTurnsOn(threadId)) this.failTurn(capture, message);
      return;
    }
    const open = this.router.openTurnsOn(threadId);
    if (open.length === 0) return;
    const partial = (id: string): boolean => {
      const record = turns.find((t) => t.id === id);
      return record === undefined || (record.itemsView !== undefined && record.itemsView !== "full");
    };
    if (open.some((c) => partial(c.turnId))) {
      // Not (fully) in the resume's first page: the thread's record has it.
      try {
        ({
          thread: { turns },
        } = await request("thread/read", { threadId, includeTurns: true }));
      } catch (error) {
        if (error instanceof ConnectionLostError) throw error;
      }
    }
    for (const capture of this.router.openTurnsOn(threadId)) {
      const record = turns.find((t) => t.id === capture.turnId);
      if (record === undefined) {
        this.failTurn(capture, "the server has no record of this turn after a reconnect");
        continue;
      }
      // Items completed during the gap, as the server recorded them.
      this.completeMissing(capture, record.items);
      // Finished during the gap (or ended by a server restart, recorded as interrupted): its end, as recorded.
      if (record.status !== "inProgress") this.endAs(capture, record);
    }
  }

  /** Ends a turn the server lost: `turn/completed` with status failed, so `run()` fails with `TurnFailedError`. */
  private failTurn(capture: TurnCapture, message: string): void {
    this.endAs(capture, { id: capture.turnId, items: [], status: "failed", error: { message, codexErrorInfo: null, additionalDetails: null } });
  }

  /** Delivers the turn's end made by this session (on `notifications$` and to the turn), past the hold. */
  private endAs(capture: TurnCapture, turn: Turn): void {
    capture.holdEnd(undefined);
    this.rpc.emitLocal({ method: "turn/completed", params: { threadId: capture.threadId, turn } });
  }

  private end(error: CodexError | undefined): void {
    this.threads.clear();
    this.state.next(error === undefined ? { state: "closed" } : { state: "closed", error });
    this.state.complete();
  }
}

/** The ids of the items a turn's replay has seen completed (read from its log, synchronously). */
function completedItemIds(capture: TurnCapture): Set<string> {
  const ids = new Set<string>();
  capture.events$
    .subscribe({
      next: (n) => {
        if (isNotification(n, "item/completed")) ids.add(n.params.item.id);
      },
      error: () => undefined,
    })
    .unsubscribe();
  return ids;
}
