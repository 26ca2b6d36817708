import { Observable, from, type ObservableInput, type Subscription } from "rxjs";

/** What a cold turn needs of the handle it started: a stream to forward, and a way to stop the turn. */
export interface OwnedTurnHandle {
  /** Asks the server to stop the turn; waits for `turn/started` first, does nothing once it is over. */
  interrupt(): Promise<void>;
}

/**
 * @internal A turn as a cold Observable: each subscription starts its own turn (`start`), then
 * forwards what `streamOf` picks of its handle (`result$`, `events$`). Unsubscribing before that
 * stream ends interrupts the turn on the server (`turn/interrupt`, never a process kill): at once
 * when the handle is there, else as soon as `start` resolves with it (the turn id is not known
 * until `turn/start` answers, and the handle's `interrupt()` then waits for `turn/started`).
 *
 * ```
 * start        ---h                 h: the handle, once turn/start has answered
 * streamOf(h)     ----(r|)
 * subscribe    -------(r|)
 * unsubscribe  --!     → interrupt() when h arrives
 * ```
 *
 * @param start starts the turn (called once per subscription): a Promise (`thread.turn()`) or an Observable of the handle
 * @param streamOf the stream of the handle to forward
 * @returns the cold Observable
 */
export function ownedTurn$<H extends OwnedTurnHandle, V>(start: () => ObservableInput<H>, streamOf: (handle: H) => Observable<V>): Observable<V> {
  return new Observable<V>((subscriber) => {
    let handle: H | undefined;
    let owned = true;
    let over = false;
    let inner: Subscription | undefined;
    const interrupt = (h: H): void => {
      // A refused interrupt (the turn ended meanwhile, the connection closed) leaves nothing to stop.
      h.interrupt().catch(() => undefined);
    };
    // Kept after an early unsubscribe: the handle it brings is what the interrupt needs.
    from(start()).subscribe({
      next: (h) => {
        handle = h;
        if (!owned) {
          interrupt(h);
          return;
        }
        inner = streamOf(h).subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            over = true;
            subscriber.error(error);
          },
          complete: () => {
            over = true;
            subscriber.complete();
          },
        });
      },
      error: (error: unknown) => {
        over = true;
        subscriber.error(error);
      },
    });
    return () => {
      owned = false;
      inner?.unsubscribe();
      if (handle !== undefined && !over) interrupt(handle);
    };
  });
}
