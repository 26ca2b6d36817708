import { Observable, asyncScheduler, interval, type SchedulerLike } from "rxjs";
import { HeartbeatTimeoutError } from "../errors/index.js";

/**
 * The liveness check of a connection, as an Observable: emits `1, 2, 3, …` every `intervalMs`
 * (send a ping on each), and errors with {@link HeartbeatTimeoutError} at a tick that finds the
 * previous ping unanswered, i.e. when nothing arrived on `alive$` for a whole interval after a
 * ping. A peer that stops answering is therefore detected at most two intervals after its last
 * answer. Unsubscribing stops the pings.
 *
 * ```
 * alive$     --------a-----a--------------
 * heartbeat  ------1-----2-----3-----#        (interval 6 frames; ping 3 is never answered)
 * ```
 *
 * @param alive$ anything that proves the peer is alive: pongs, incoming messages
 * @param intervalMs the ping interval, in ms (> 0)
 * @param scheduler where the ticks run; a `TestScheduler` in tests. Default `asyncScheduler`.
 * @returns the ping numbers; never completes on its own
 * @throws {HeartbeatTimeoutError} (as the Observable's error) when a ping goes unanswered for `intervalMs`
 * @example
 * ```ts
 * const beat = heartbeat(fromEvent(socket, "pong"), 30_000).subscribe({ next: () => socket.ping(), error: () => socket.terminate() });
 * ```
 */
export function heartbeat(alive$: Observable<unknown>, intervalMs: number, scheduler: SchedulerLike = asyncScheduler): Observable<number> {
  return new Observable<number>((subscriber) => {
    let answered = true;
    let pings = 0;
    // An error of alive$ only means no more answers: the next unanswered ping times out as usual.
    const alive = alive$.subscribe({
      next: () => {
        answered = true;
      },
      error: () => undefined,
    });
    const ticks = interval(intervalMs, scheduler).subscribe(() => {
      if (!answered) {
        subscriber.error(new HeartbeatTimeoutError(intervalMs));
        return;
      }
      answered = false;
      subscriber.next(++pings);
    });
    return () => {
      alive.unsubscribe();
      ticks.unsubscribe();
    };
  });
}
