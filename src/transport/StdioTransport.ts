import { accessSync, constants, statSync } from "node:fs";
import { CodexBinaryNotFoundError, CodexError, CodexBinaryNotRunnableError, type TransportCloseInfo, invalidInput } from "../errors/index.js";
import { ChildProcess } from "./ChildProcess.js";
import { transportClosedError } from "./closedError.js";
import { LineFramer } from "./LineFramer.js";
import { resolveCodexBinary } from "./resolveCodexBinary.js";
import { TransportBase } from "./TransportBase.js";

/** How to start `codex app-server` as a child process. */
export interface StdioTransportOptions {
  /** The binary; default: `$CODEX_BIN`, else the one shipped by the pinned `@openai/codex`. */
  readonly codexPath?: string;
  /**
   * Arguments after the binary. Default `["app-server"]`. When `Codex.start` builds the transport
   * itself it passes `["app-server", ...toConfigArgs(config)]`; a transport you build gets exactly these.
   */
  readonly args?: readonly string[];
  /** Merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** How long `close()` waits after stdin EOF, then after SIGTERM, before escalating. Default 2000 ms. */
  readonly killTimeoutMs?: number;
  /** How much stderr to keep for error messages. Default 8 KiB. */
  readonly stderrTailBytes?: number;
}

/**
 * The default transport: spawns `codex app-server` and speaks newline-delimited JSON over its
 * stdin/stdout. The process runs in a process group of its own (POSIX), ended as a whole; a
 * bounded tail of its stderr goes into error messages.
 *
 * @example
 * ```ts
 * const codex = await Codex.start({ transport: new StdioTransport({ codexPath: "/opt/codex" }) });
 * ```
 */
export class StdioTransport extends TransportBase {
  private child: ChildProcess | undefined;
  /** Set by the first byte on stdout: a binary that exits 126/127 before it is one that never ran. */
  private spoke = false;
  private readonly options: StdioTransportOptions;

  constructor(options: StdioTransportOptions = {}) {
    super();
    this.options = options;
  }

  /** The process id of the running app-server, if started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines the server wrote to stderr (at most `stderrTailBytes`). */
  override stderrTail(): string {
    return this.child?.stderrTail() ?? "";
  }

  protected open(): Promise<void> {
    let binary: string;
    try {
      binary = resolveCodexBinary(this.options.codexPath !== undefined ? { codexPath: this.options.codexPath } : {});
    } catch (error) {
      this.finish(error instanceof CodexError ? error : this.closedError("spawn failed", undefined, error));
      return Promise.reject(error);
    }
    const child = new ChildProcess(binary, {
      args: this.options.args ?? ["app-server"],
      env: this.options.env,
      cwd: this.options.cwd,
      pipeStdio: true,
      stderrTailBytes: this.options.stderrTailBytes,
    });
    this.child = child;

    const framer = new LineFramer();
    const onLine = (line: string): void => this.emit(line);
    child.stdout?.on("data", (chunk: Buffer) => {
      this.spoke = true;
      framer.push(chunk, onLine);
    });
    child.stdout?.on("end", () => framer.end(onLine));

    void child.exited.then(({ exitCode, signal, spawnError }) => {
      if (spawnError !== undefined) return; // connect() reports it
      // After close() the error is dropped by finish() (messages$ completes), so only a process
      // that exited by itself gets here with a say.
      const info = { reason: "process exited", exitCode, signal };
      // 126/127 before a single line: the shell's "cannot execute" / "not found" for a file the
      // system could not run (wrong format or architecture), not an app-server that failed.
      const neverRan = !this.spoke && (exitCode === 126 || exitCode === 127);
      const why = `the system could not execute it (exit code ${exitCode ?? ""} before it wrote anything: wrong format or architecture?)`;
      this.finish(neverRan ? new CodexBinaryNotRunnableError(binary, why, { ...info, stderrTail: this.stderrTail() }) : this.closedError(info.reason, info));
    });

    return child.spawned.catch((error: NodeJS.ErrnoException) => {
      const wrapped = spawnError(error, binary, this.options.cwd, this.stderrTail());
      this.finish(wrapped);
      throw wrapped;
    });
  }

  /**
   * Writes one message and a newline to the server's stdin.
   *
   * @param message one JSON-RPC message, without framing
   * @throws {TransportClosedError} when stdin no longer takes it (the process is exiting)
   */
  protected write(message: string): void {
    const stdin = this.child?.stdin;
    if (stdin == null || !stdin.writable) throw this.closedError(this.goneReason(), this.exitStatus());
    stdin.write(message + "\n");
  }

  /** `"process exited"`; `"not connected"` when `connect()` failed before there was a process. */
  protected goneReason(): string {
    return this.child === undefined ? "not connected" : "process exited";
  }

  /** The process's exit code and signal, once it has exited. */
  protected override exitStatus(): Pick<TransportCloseInfo, "exitCode" | "signal"> {
    return { exitCode: this.child?.process.exitCode ?? null, signal: this.child?.process.signalCode ?? null };
  }

  protected async shutdown(): Promise<void> {
    const child = this.child;
    if (child === undefined) {
      this.finish();
      return;
    }
    // stdin EOF, then SIGTERM, then SIGKILL, `killTimeoutMs` apart; then messages$ ends (on exit).
    await child.stop(this.options.killTimeoutMs ?? 2000);
  }
}

/** What a failed spawn means: a missing or unusable cwd, a missing binary, or one that cannot run. */
function spawnError(error: NodeJS.ErrnoException, binary: string, cwd: string | undefined, stderrTail: string): CodexError {
  const info = { reason: "spawn failed", exitCode: null, signal: null, stderrTail };
  if (cwd !== undefined) {
    // spawn reports a bad working directory as ENOENT / EACCES of the binary: look at cwd first.
    const problem = directoryProblem(cwd);
    if (problem !== undefined) return invalidInput("Codex.start", ["cwd"], `the working directory ${cwd} ${problem}`);
  }
  if (error.code === "ENOENT") return new CodexBinaryNotFoundError(`Could not start the codex binary (${error.code}).`, [binary], { cause: error });
  if (error.code === "EACCES" || error.code === "ENOEXEC" || error.code === "EISDIR") {
    const why = isDirectory(binary) ? "it is a directory" : error.code === "EACCES" ? "it is not executable (EACCES; chmod +x?)" : `the system refused to execute it (${error.code})`;
    return new CodexBinaryNotRunnableError(binary, why, info, { cause: error });
  }
  return transportClosedError(stderrTail, info.reason, info, { cause: error });
}

function directoryProblem(dir: string): string | undefined {
  try {
    if (!statSync(dir).isDirectory()) return "is not a directory";
    accessSync(dir, constants.X_OK);
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "does not exist" : "cannot be entered (permission denied)";
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}
