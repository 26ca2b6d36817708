import type { SchedulerLike, Subscription } from "rxjs";

/** One thing the fake server does, `delayMs` after the previous one; `"pause"` waits for `resume()`. */
export interface SequenceAction {
  readonly delayMs: number;
  readonly run: () => "pause" | void;
}

/**
 * Actions run one after another on a scheduler: the fake app-server's clock. An action with no
 * delay runs in the same tick as the one before it (as lines of one chunk reach a real client
 * together); the first action always waits for the scheduler, so nothing is sent from inside the
 * call that caused it. On a `TestScheduler` every wait is virtual.
 */
export class FakeSequence {
  private queue: SequenceAction[] = [];
  private scheduled: Subscription | undefined;
  private paused = false;
  private running = false;

  constructor(private readonly scheduler: SchedulerLike) {}

  /** Appends actions; starts running them unless paused. */
  push(...actions: SequenceAction[]): void {
    this.queue.push(...actions);
    if (!this.running && !this.paused && this.scheduled === undefined) this.scheduleNext();
  }

  /** Continues after an action that paused. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (!this.running) this.scheduleNext();
  }

  /** Drops everything not yet run (an interrupted turn). */
  cancel(): void {
    this.scheduled?.unsubscribe();
    this.scheduled = undefined;
    this.queue = [];
    this.paused = false;
  }

  /** True while actions are waiting. */
  get busy(): boolean {
    return this.queue.length > 0 || this.paused || this.scheduled !== undefined;
  }

  private scheduleNext(): void {
    const next = this.queue[0];
    if (next === undefined) return;
    this.scheduled = this.scheduler.schedule(() => {
      this.scheduled = undefined;
      this.runFrom();
    }, next.delayMs);
  }

  /** Runs the head action, then every following zero-delay one in the same tick. */
  private runFrom(): void {
    this.running = true;
    try {
      for (let first = true; ; first = false) {
        const action = this.queue[0];
        if (action === undefined || this.paused) return;
        if (!first && action.delayMs > 0) {
          this.scheduleNext();
          return;
        }
        this.queue.shift();
        if (action.run() === "pause") this.paused = true;
      }
    } finally {
      this.running = false;
    }
  }
}
