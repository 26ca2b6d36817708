import { Observable, Subject, type Subscription } from "rxjs";
import type { NotificationRouter } from "../routing/NotificationRouter.js";
import type { TurnCapture } from "../routing/TurnCapture.js";

/** @internal Makes the handle of a turn this Thread object did not start, from its capture. */
export type TurnHandleFactory<H> = (capture: TurnCapture) => H;

/**
 * @internal What is behind `thread.turns$`: which turns of a thread start from now on, one handle
 * each. It watches the thread on the connection's {@link NotificationRouter}, which opens a capture
 * for a turn the server starts by itself (a goal continuation) at its `turn/started`, before that
 * notification is delivered, so each handle replays its turn whole. A turn started through this
 * Thread object's `turn()` is emitted as the handle `turn()` returns ({@link ThreadTurns.startedHere}); a
 * turn another Thread object (or another client's request) opened gets a handle of its own.
 */
export class ThreadTurns<H> {
  /** Handles, as they become known (hot: no replay). */
  private readonly emitted = new Subject<H>();
  /** Client-opened captures told by the router, waiting one microtask for `startedHere()` to claim them. */
  private readonly unclaimed = new Map<string, TurnCapture>();
  private watchers = 0;
  private watch: Subscription | undefined;

  /** Every turn of the thread from subscription on, one handle each (see `Thread.turns$`). */
  readonly turns$: Observable<H>;

  constructor(
    private readonly threadId: string,
    private readonly router: NotificationRouter,
    private readonly newHandle: TurnHandleFactory<H>,
  ) {
    this.turns$ = new Observable<H>((subscriber) => {
      const handles = this.emitted.subscribe(subscriber);
      if (this.watchers++ === 0) this.watch = this.router.watchThread(this.threadId, (capture, origin) => this.opened(capture, origin));
      return () => {
        handles.unsubscribe();
        if (--this.watchers === 0) {
          this.watch?.unsubscribe();
          this.watch = undefined;
        }
      };
    });
  }

  /**
   * Called by `thread.turn()` right after it claimed its capture and made the handle.
   *
   * @param turnId the turn
   * @param handle its one handle, emitted on `turns$`
   */
  startedHere(turnId: string, handle: H): void {
    this.unclaimed.delete(turnId);
    this.emitted.next(handle);
  }

  private opened(capture: TurnCapture, origin: "client" | "server"): void {
    if (origin === "server") {
      this.emitted.next(this.newHandle(capture));
      return;
    }
    // Opened by a turn/start answer: this object's turn() claims it synchronously after the
    // router returns; one still unclaimed a microtask later was started elsewhere.
    this.unclaimed.set(capture.turnId, capture);
    queueMicrotask(() => {
      if (this.unclaimed.get(capture.turnId) !== capture) return;
      this.unclaimed.delete(capture.turnId);
      this.emitted.next(this.newHandle(capture));
    });
  }
}
