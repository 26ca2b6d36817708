import { Observable, throwError } from "rxjs";
import { isAbsolute } from "node:path";
import { TransportClosedError, invalidInput } from "../../errors/index.js";
import type { WorkContext } from "./WorkContext.js";

/** One `fs/changed`: the paths under the watched path that changed. */
export interface FileChange {
  /** Absolute paths of the files or folders that changed (several changes may come together). */
  readonly changedPaths: readonly string[];
}

/**
 * A path watched on the app-server's machine, as a cold Observable: each subscription opens its
 * own watch (`fs/watch` with a new watch id) and emits every `fs/changed` of it; unsubscribing
 * closes it (`fs/unwatch`). It never completes by itself; it errors when the server refuses the
 * watch, and with the connection's error when the connection ends or drops (the server forgets
 * its watches with the connection).
 *
 * ```
 * subscribe   ^-c---c-c--!        c: { changedPaths }
 *             fs/watch   fs/unwatch
 * ```
 *
 * @param ctx the connection's work context
 * @param path an absolute path (a file or a folder; it need not exist yet)
 * @returns the cold Observable of changes
 * @throws {InvalidInputError} (on subscribe, nothing sent) for a relative path
 * @throws {JsonRpcError} when the server refuses the watch
 * @throws {TransportClosedError} when the connection ends while watching
 */
export function watch$(ctx: WorkContext, path: string): Observable<FileChange> {
  if (typeof path !== "string" || !isAbsolute(path)) {
    return throwError(() => invalidInput("fs/watch", ["path"], `the path must be absolute (the server resolves no relative path), got ${JSON.stringify(path)}`));
  }
  return new Observable<FileChange>((subscriber) => {
    const watchId = ctx.newId("watch");
    const route = ctx.routes.route("fs/changed", watchId, {
      next: (n) => subscriber.next({ changedPaths: n.params.changedPaths }),
      end: (error) => subscriber.error(error ?? ctx.rpc.closeReason ?? new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: "" })),
    });
    let released = false;
    let opened = false;
    const unwatch = (): void => {
      if (!ctx.rpc.closed) ctx.rpc.request$("fs/unwatch", { watchId }).subscribe({ error: () => undefined });
    };
    // Kept after an early unsubscribe: the watch is closed once the server has opened it, so an
    // unwatch can never overtake its watch.
    const request = ctx.rpc.request$("fs/watch", { path, watchId }).subscribe({
      next: () => {
        opened = true;
        if (released) unwatch();
      },
      error: (error: unknown) => subscriber.error(error),
    });
    return () => {
      route.unsubscribe();
      if (opened) unwatch();
      else if (!request.closed) released = true;
    };
  });
}
