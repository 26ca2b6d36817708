import { TestScheduler } from "rxjs/testing";
import type { Observable, Subscription } from "rxjs";

/** What `TestScheduler.parseMarbles` yields: a frame and a materialized notification. */
export interface RecordedMessage {
  readonly frame: number;
  readonly notification: { readonly kind: "N" | "E" | "C"; readonly value: unknown; readonly error: unknown };
}

/**
 * Records an Observable's notifications with their virtual frames, relative to `start`, in the
 * shape `TestScheduler.parseMarbles` gives: code under test that awaits Promises cannot run
 * inside `testScheduler.run()`, so the clock is moved with `server.advance()` and the recording is
 * compared with a marble diagram afterwards (see {@link marbles}).
 */
export function recordFrames<T>(source$: Observable<T>, scheduler: TestScheduler, start = scheduler.now()): { readonly messages: RecordedMessage[]; readonly subscription: Subscription } {
  const messages: RecordedMessage[] = [];
  const at = (): number => scheduler.now() - start;
  const subscription = source$.subscribe({
    next: (value) => messages.push({ frame: at(), notification: { kind: "N", value, error: undefined } }),
    error: (error: unknown) => messages.push({ frame: at(), notification: { kind: "E", value: undefined, error } }),
    complete: () => messages.push({ frame: at(), notification: { kind: "C", value: undefined, error: undefined } }),
  });
  return { messages, subscription };
}

/** A marble diagram in run-mode syntax (`"a 9ms b 19ms (c|)"`, one frame = 1 ms) as messages. */
export function marbles(diagram: string, values?: Record<string, unknown>, error?: unknown): RecordedMessage[] {
  // Run mode's time scale (1 frame = 1 ms), as inside testScheduler.run().
  const factor = TestScheduler.frameTimeFactor;
  TestScheduler.frameTimeFactor = 1;
  try {
    return TestScheduler.parseMarbles(diagram, values, error, undefined, true) as RecordedMessage[];
  } finally {
    TestScheduler.frameTimeFactor = factor;
  }
}
