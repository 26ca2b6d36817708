// What Codex's command, watch and file methods do, for one connection (ConnectionContext.work):
// loaded with the connection by the first Codex.start, not by `import "codex-rx"`.
import type { Observable } from "rxjs";
import type { RpcConnection } from "../../rpc/RpcConnection.js";
import { RemoteFs } from "../RemoteFs.js";
import { exec, exec$ } from "./exec.js";
import type { ExecEvent, ExecOptions, ExecResult } from "./ExecOptions.js";
import { watch$, type FileChange } from "./watch.js";
import type { WorkContext } from "./WorkContext.js";

/** @internal Behind `codex.exec$`, `exec`, `watch$` and `fs` (documented there). */
export class WorkService {
  private fsOnce: RemoteFs | undefined;

  constructor(
    /** The connection's routes of command output and file changes, its ids and clock. */
    readonly context: WorkContext,
    private readonly rpc: RpcConnection,
  ) {}

  exec$(argv: readonly string[], options?: ExecOptions): Observable<ExecEvent> {
    return exec$(this.context, argv, options);
  }

  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return exec(this.context, argv, options);
  }

  watch$(absolutePath: string): Observable<FileChange> {
    return watch$(this.context, absolutePath);
  }

  get fs(): RemoteFs {
    return (this.fsOnce ??= new RemoteFs(this.rpc));
  }
}
