// The facade's half of reconnecting: the transport reports drops and new connections; this file
// knows what a session is (initialize, threads, turns in flight) and puts it back together.
import { BehaviorSubject, catchError, concat, defer, endWith, ignoreElements, of, type Observable } from "rxjs";
import type { InitializeParams, ThreadItem, Turn } from "../protocol/generated/index.js";
import { isNotification, type Notification, type NotificationOf } from "../protocol/notifications.js";
import { CodexError, ConnectionLostError } from "../errors/index.js";
import type { DirectRequest, RpcConnection } from "../rpc/RpcConnection.js";
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

interface OpenTurn {
  readonly threadId: string;
  /** Items this client has seen completed; the rest comes from the server's record. */
  readonly completed: Set<string>;
  /** The connection dropped while it ran. */
  gap: boolean;
  /** Its `turn/completed` is being (or has been) delivered by this session: let it through. */
  ending: boolean;
}

/** One per connection, found by {@link sessionOf}: what `Codex` needs to restore after a reconnect. */
export class Session {
  private readonly threads = new Map<string, WeakRef<object>>();
  /** Forgets a thread once its handle is collected, so the map does not grow with threads nobody holds. */
  private readonly collected = new FinalizationRegistry<string>((id) => {
    if (this.threads.get(id)?.deref() === undefined) this.threads.delete(id);
  });
  private readonly turns = new Map<string, OpenTurn>();
  private readonly state: BehaviorSubject<ConnectionState>;
  private down = false;
  private attempt = 0;
  /** The connection as the user sees it: `open` again only once the session is restored. */
  readonly connection$: Observable<ConnectionState>;

  constructor(
    private readonly rpc: RpcConnection,
    private readonly initialize: InitializeParams,
  ) {
    this.state = new BehaviorSubject<ConnectionState>({ state: "open" });
    const transport$ = rpc.transport.connection$;
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
    sessions.set(rpc, this);
    // Tracks each notification before it is delivered, so what a gap missed goes in front of it.
    rpc.setNotificationTap((n) => this.track(n));
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

  /** Remembers a thread handle: resumed after a reconnect for as long as the handle is alive. */
  adopt(threadId: string, handle: object): void {
    this.threads.set(threadId, new WeakRef(handle));
    this.collected.register(handle, threadId);
  }

  /** A turn this client started (before its `turn/started` arrives). */
  turnOpened(threadId: string, turnId: string): void {
    if (!this.turns.has(turnId)) this.turns.set(turnId, { threadId, completed: new Set(), gap: false, ending: false });
  }

  /** Sees each notification before it is delivered; false holds a gapped turn's end back until its items are complete. */
  private track(n: Notification): boolean {
    if (isNotification(n, "turn/started")) this.turnOpened(n.params.threadId, n.params.turn.id);
    else if (isNotification(n, "item/completed")) this.turns.get(n.params.turnId)?.completed.add(n.params.item.id);
    else if (isNotification(n, "turn/completed")) {
      const open = this.turns.get(n.params.turn.id);
      if (open?.gap && !open.ending) {
        // An item can complete after the resume's snapshot but before the new connection got the
        // live stream: neither has it. The thread's record (and the summary in turn/completed)
        // does; deliver what is missing first, then this end.
        open.ending = true;
        void this.endWithRecord(n, open);
        return false;
      }
      this.turns.delete(n.params.turn.id);
    }
    return true;
  }

  private async endWithRecord(end: NotificationOf<"turn/completed">, open: OpenTurn): Promise<void> {
    const { threadId, turn } = end.params;
    let items: readonly ThreadItem[] = turn.items;
    try {
      const { thread } = await this.rpc.request("thread/read", { threadId, includeTurns: true });
      const recorded = thread.turns.find((t) => t.id === turn.id)?.items ?? [];
      items = [...recorded, ...turn.items.filter((i) => !recorded.some((r) => r.id === i.id))];
    } catch {
      // No record to be had (the connection went for good: the stream errors anyway): the summary is what there is.
    }
    for (const item of items) if (!open.completed.has(item.id)) this.completeItem(threadId, turn.id, item, open);
    this.rpc.emitLocal(end);
  }

  private completeItem(threadId: string, turnId: string, item: ThreadItem, open: OpenTurn): void {
    open.completed.add(item.id);
    this.rpc.emitLocal({ method: "item/completed", params: { threadId, turnId, item, completedAtMs: Date.now() } });
  }

  private markGaps(reason: string): void {
    for (const [turnId, open] of [...this.turns]) {
      open.gap = true;
      const { threadId } = open;
      const gap: GapNotification = { method: GAP_METHOD, params: { threadId, turnId, reason } };
      this.rpc.emitLocal(gap);
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
    for (const turn of this.turns.values()) threadIds.add(turn.threadId);
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
      this.failTurns(threadId, `the thread could not be resumed after a reconnect: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const open = [...this.turns].filter(([, t]) => t.threadId === threadId);
    if (open.length === 0) return;
    const partial = (id: string): boolean => {
      const record = turns.find((t) => t.id === id);
      return record === undefined || (record.itemsView !== undefined && record.itemsView !== "full");
    };
    if (open.some(([id]) => partial(id))) {
      // Not (fully) in the resume's first page: the thread's record has it.
      try {
        ({
          thread: { turns },
        } = await request("thread/read", { threadId, includeTurns: true }));
      } catch (error) {
        if (error instanceof ConnectionLostError) throw error;
      }
    }
    for (const [turnId, open] of this.turns) {
      if (open.threadId !== threadId) continue;
      const record = turns.find((t) => t.id === turnId);
      if (record === undefined) {
        this.failTurn(threadId, turnId, "the server has no record of this turn after a reconnect");
        continue;
      }
      // Items completed during the gap, as the server recorded them.
      for (const item of record.items) if (!open.completed.has(item.id)) this.completeItem(threadId, turnId, item, open);
      // Finished during the gap (or ended by a server restart, recorded as interrupted): its end, as recorded.
      if (record.status !== "inProgress") {
        open.ending = true;
        this.rpc.emitLocal({ method: "turn/completed", params: { threadId, turn: record } });
      }
    }
  }

  private failTurns(threadId: string, message: string): void {
    for (const [turnId, open] of [...this.turns]) if (open.threadId === threadId) this.failTurn(threadId, turnId, message);
  }

  /** Ends a turn the server lost: `turn/completed` with status failed, so `run()` fails with `TurnFailedError`. */
  private failTurn(threadId: string, turnId: string, message: string): void {
    const open = this.turns.get(turnId);
    if (open !== undefined) open.ending = true;
    const turn: Turn = { id: turnId, items: [], status: "failed", error: { message, codexErrorInfo: null, additionalDetails: null } };
    this.rpc.emitLocal({ method: "turn/completed", params: { threadId, turn } });
  }

  private end(error: CodexError | undefined): void {
    this.turns.clear();
    this.threads.clear();
    this.state.next(error === undefined ? { state: "closed" } : { state: "closed", error });
    this.state.complete();
  }
}

const sessions = new WeakMap<RpcConnection, Session>();

function asCodexError(error: unknown): CodexError {
  return error instanceof CodexError ? error : new CodexError(String(error), { cause: error });
}

/**
 * The {@link Session} of a connection `Codex` started, if any (a bare `RpcConnection` has none).
 *
 * @param rpc the connection
 * @returns its session, or undefined
 */
export function sessionOf(rpc: RpcConnection): Session | undefined {
  return sessions.get(rpc);
}
