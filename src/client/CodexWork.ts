import type { Observable } from "rxjs";
import { CodexAccount } from "./CodexAccount.js";
import type { ExecEvent, ExecOptions, ExecResult } from "./commands/ExecOptions.js";
import type { FileChange } from "./commands/watch.js";
import type { RemoteFs } from "./RemoteFs.js";

/**
 * The work {@link Codex} runs on the app-server's machine besides turns, which `Codex` extends:
 * commands (`exec`, `exec$`), file watches (`watch$`) and files (`fs`). Call them on a `Codex`.
 */
export abstract class CodexWork extends CodexAccount {
  /**
   * Runs a command on the app-server's machine, under its sandbox (`command/exec`), as a cold
   * Observable: each subscription runs it once and emits its output as it comes (`{ stream, text,
   * bytes }` chunks, UTF-8 decoded per stream), then `{ exitCode }`, then completes. Unsubscribing
   * before the exit terminates the process (`command/exec/terminate`). A non-zero exit is data.
   *
   * @param argv the program and its arguments (no shell: `["sh", "-c", line]` for one)
   * @param options `cwd`, `env`, `timeoutMs`, `outputBytesCap` / `disableOutputCap`, `sandbox` or
   *   `sandboxPolicy`, `stdin` (an Observable of strings or bytes), `tty` (with `size` and `resize$`)
   * @returns a cold Observable of {@link ExecEvent}s
   * @throws {InvalidInputError} (on subscribe) for an empty argv or a bad option (nothing is sent)
   * @throws {JsonRpcError} when the server refuses the command
   * @throws {TransportClosedError} when the connection ends while it runs
   * @example
   * ```ts
   * codex.exec$(["npm", "test"], { cwd: "/repo" }).subscribe((e) =>
   *   isExecExit(e) ? console.log("exit", e.exitCode) : process[e.stream].write(e.text),
   * );
   * ```
   */
  exec$(argv: readonly string[], options?: ExecOptions): Observable<ExecEvent> {
    return this.context.work.exec$(argv, options);
  }

  /**
   * Runs a command to its exit (`command/exec`): {@link Codex.exec$} folded into the exit code and
   * each stream's whole text.
   *
   * @param argv the program and its arguments
   * @param options as for {@link Codex.exec$}
   * @returns `{ exitCode, stdout, stderr }`; a non-zero exit code is a result, not an error
   * @throws {InvalidInputError} for an empty argv or a bad option (nothing is sent)
   * @throws {JsonRpcError} when the server refuses the command
   * @throws {TransportClosedError} when the connection ends while it runs
   * @example
   * ```ts
   * const { exitCode, stdout } = await codex.exec(["git", "status", "--short"], { cwd: "/repo" });
   * ```
   */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult> {
    return this.context.work.exec(argv, options);
  }

  /**
   * The app-server machine's filesystem (`fs/readFile`, `fs/writeFile`, `fs/readDirectory`,
   * `fs/getMetadata`, `fs/createDirectory`, `fs/remove`, `fs/copy`): for a client of a remote
   * app-server, the files where the agent works. See {@link RemoteFs}.
   *
   * @example
   * ```ts
   * const pkg = JSON.parse(await codex.fs.readTextFile("/repo/package.json"));
   * ```
   */
  get fs(): RemoteFs {
    return this.context.work.fs;
  }

  /**
   * Watches a path on the app-server's machine (`fs/watch`), as a cold Observable: each
   * subscription opens its own watch and emits every change under it (`fs/changed`, usually
   * within a second of the write); unsubscribing closes it (`fs/unwatch`). It never completes by
   * itself.
   *
   * @param absolutePath a file or folder (it need not exist yet)
   * @returns a cold Observable of {@link FileChange}s
   * @throws {InvalidInputError} (on subscribe) for a relative path (nothing is sent)
   * @throws {JsonRpcError} when the server refuses the watch
   * @throws {TransportClosedError} when the connection ends or drops while watching
   * @example
   * ```ts
   * codex.watch$("/repo/src").pipe(debounceTime(200), switchMap(() => codex.exec$(["npm", "test"]))).subscribe(print);
   * ```
   */
  watch$(absolutePath: string): Observable<FileChange> {
    return this.context.work.watch$(absolutePath);
  }
}
