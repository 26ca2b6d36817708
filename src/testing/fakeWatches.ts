import type { MethodTable } from "./fakeMethods.js";

// `fs/watch` on the fake app-server, after the real server (APP-SERVER-NOTES, "Beyond the
// conversation"): `fs/watch {path, watchId}` answers `{path}` (a path that does not exist is
// accepted), a second watch with the same id is refused with -32600, `fs/unwatch` answers `{}`
// even for an id it does not know. `server.changeFiles(paths)` plays a write on disk: every watch
// whose path is a changed path or a folder above it gets `fs/changed {watchId, changedPaths}`.

/** What the watch methods need of the fake. */
export interface WatchHost {
  send(message: object): void;
  /** The watches open now: watch id → watched path. */
  readonly watches: Map<string, string>;
}

/** Whether `changed` is `watched` or lies under it. */
function covers(watched: string, changed: string): boolean {
  return changed === watched || changed.startsWith(watched.endsWith("/") ? watched : `${watched}/`);
}

/** The watch methods, and `change` for `server.changeFiles`. */
export function watchMethods(host: WatchHost): { readonly methods: MethodTable; change(paths: readonly string[]): void } {
  const methods: MethodTable = {
    "fs/watch": (params) => {
      if (!params.path.startsWith("/")) return { error: { code: -32600, message: "Invalid request: AbsolutePathBuf deserialized without a base path" } };
      if (host.watches.has(params.watchId)) return { error: { code: -32600, message: `watchId already exists: ${params.watchId}` } };
      host.watches.set(params.watchId, params.path);
      return { result: { path: params.path } };
    },
    "fs/unwatch": (params) => {
      host.watches.delete(params.watchId);
      return { result: {} };
    },
  };
  return {
    methods,
    change: (paths) => {
      for (const [watchId, watched] of host.watches) {
        const changedPaths = paths.filter((p) => covers(watched, p));
        if (changedPaths.length > 0) host.send({ method: "fs/changed", params: { watchId, changedPaths } });
      }
    },
  };
}
