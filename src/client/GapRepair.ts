import { BehaviorSubject, type Observable } from "rxjs";
import type { InitializeParams, ThreadItem, Turn } from "../protocol/generated/index.js";
import { isNotification, type NotificationOf } from "../protocol/notifications.js";
import { asCodexError, CodexError, ConnectionLostError, messageOf } from "../errors/index.js";
import type { DirectRequest, RpcConnection } from "../rpc/RpcConnection.js";
import type { NotificationRouter } from "../routing/NotificationRouter.js";
import type { TurnCapture } from "../routing/TurnCapture.js";
import type { ConnectionState } from "../transport/ConnectionState.js";
import { GAP_METHOD, type GapNotification } from "./GapNotification.js";
import type { ThreadRegistry } from "./ThreadRegistry.js";

/** @internal What a {@link GapRepair} reads from its connection's context. */
export interface RepairedConnection {
  readonly rpc: RpcConnection;
  /** The connection's router: its open captures are the turns in flight. */
  readonly router: NotificationRouter;
}

/**
 * @internal Puts a connection's session back together after its transport reconnected, and says
 * where the connection stands (`connection$`: `open` again only once that is done). It keeps no
 * turn of its own: the turns in flight are the router's open captures, the items a turn has seen
 * completed are in its capture's replay, and a gapped turn's end waits on its capture
 * (`TurnCapture.interceptEnd`). The threads to resume are the registry's live handles and those
 * with a turn in flight.
 */
export class GapRepair {
  private readonly state = new BehaviorSubject<ConnectionState>({ state: "open" });
  /** The connection as the user sees it: `open` again only once the session is restored. */
  readonly connection$: Observable<ConnectionState> = this.state.asObservable();

  /**
   * @param connection the connection and its router (read when needed: it is made on first use)
   * @param threads the thread handles to resume
   * @param initialize the `initialize` params, sent again on every new connection
   */
  constructor(
    private readonly connection: RepairedConnection,
    private readonly threads: ThreadRegistry,
    private readonly initialize: InitializeParams,
  ) {
    const rpc = connection.rpc;
    rpc.notifications$.subscribe({
      error: (error: unknown) => this.end(asCodexError(error)),
      complete: () => this.end(undefined),
    });
    rpc.transport.connection$?.subscribe((c) => {
      if (c.state !== "reconnecting") return;
      // The first report of a drop marks the gaps; later attempts only update the state.
      if (this.state.value.state !== "reconnecting") this.markGaps(c.error?.message ?? "connection lost");
      this.state.next(c);
    });
    rpc.setSessionRestorer((request, notify) => this.restore(request, notify));
  }

  private get rpc(): RpcConnection {
    return this.connection.rpc;
  }

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
        this.rpc.injectNotification(gap);
        capture.interceptEnd((end) => {
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
    capture.interceptEnd(undefined);
    capture.push(end);
  }

  /** Delivers, as `item/completed`, the items the turn's replay has not seen completed. */
  private completeMissing(capture: TurnCapture, items: readonly ThreadItem[]): void {
    const seen = completedItemIds(capture);
    const { threadId, turnId } = capture;
    for (const item of items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      this.rpc.injectNotification({ method: "item/completed", params: { threadId, turnId, item, completedAtMs: Date.now() } });
    }
  }

  /** On a new connection: initialize, resume every thread with a live handle or a turn in flight, settle the turns. */
  private async restore(request: DirectRequest, notify: (method: string) => void): Promise<void> {
    await request("initialize", this.initialize);
    notify("initialized");
    const threadIds = new Set<string>(this.threads.liveThreadIds());
    for (const { threadId } of this.router.openTurns()) threadIds.add(threadId);
    await Promise.all([...threadIds].map((threadId) => this.resume(request, threadId)));
    const attempt = this.state.value.attempt ?? 1;
    this.state.next({ state: "open", attempt });
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
    capture.interceptEnd(undefined);
    this.rpc.injectNotification({ method: "turn/completed", params: { threadId: capture.threadId, turn } });
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
