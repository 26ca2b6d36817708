import { VirtualTimeScheduler, type SchedulerLike } from "rxjs";

/** Lets every pending Promise callback run (one macrotask: the microtask queue drains before it). */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const MAX_ACTIONS = 1_000_000;

/**
 * Moves a virtual clock (a `TestScheduler` or any `VirtualTimeScheduler`) forward, one due action
 * at a time, letting Promise callbacks run between actions, the way a real event loop interleaves
 * timers and `await`s. With no `ms` it runs until nothing is scheduled any more.
 *
 * @param scheduler the virtual clock
 * @param ms how far to move it; default: until it is idle
 * @returns a Promise that resolves once the clock is there and every callback has settled
 * @throws {TypeError} when the scheduler is not virtual
 * @throws {RangeError} when the clock never goes idle (something reschedules itself forever)
 * @example
 * ```ts
 * const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
 * const server = fakeAppServer({ scheduler });
 * const started = Codex.start({ transport: server.transport });
 * await advanceVirtualTime(scheduler);
 * const codex = await started;
 * ```
 */
export async function advanceVirtualTime(scheduler: SchedulerLike, ms?: number): Promise<void> {
  if (!(scheduler instanceof VirtualTimeScheduler)) throw new TypeError("advanceVirtualTime needs a VirtualTimeScheduler (e.g. a TestScheduler)");
  const until = ms === undefined ? Number.POSITIVE_INFINITY : scheduler.now() + ms;
  for (let i = 0; ; i += 1) {
    if (i > MAX_ACTIONS) throw new RangeError(`advanceVirtualTime: still busy after ${MAX_ACTIONS} actions`);
    await settle();
    const next = scheduler.actions[0];
    if (next === undefined || next.delay > until) break;
    scheduler.actions.shift();
    scheduler.frame = next.delay;
    const error: unknown = next.execute(next.state, next.delay);
    if (error) throw error;
  }
  if (until !== Number.POSITIVE_INFINITY) scheduler.frame = Math.max(scheduler.frame, until);
  await settle();
}
