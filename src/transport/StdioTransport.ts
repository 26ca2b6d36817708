import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { invalidInput } from "../protocol/validate.js";
import { Subject, type Observable } from "rxjs";
import { CodexBinaryNotFoundError, TransportClosedError, CodexBinaryNotRunnableError } from "../errors/index.js";
import { killOnExit } from "./killOnExit.js";
import { LineFramer } from "./LineFramer.js";
import { resolveCodexBinary } from "./resolveCodexBinary.js";
import type { Transport } from "./Transport.js";

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

// On POSIX the app-server runs in a process group of its own, so the helpers it starts (e.g. the
// `bash -lc` shell snapshot) can be ended with it: after a crash they would otherwise be re-parented
// to init and linger. (Ctrl-C then no longer reaches the server directly; it exits on stdin EOF
// when Node goes away.)
const ownGroup = process.platform !== "win32";

/** Signals the child's whole process group (POSIX), or the child alone; never throws. */
function killGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  try {
    if (ownGroup && child.pid !== undefined) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // ESRCH: already gone.
  }
}

/**
 * The default transport: spawns `codex app-server` and speaks newline-delimited JSON over its
 * stdin/stdout. Keeps a bounded tail of stderr for error messages.
 *
 * @example
 * ```ts
 * const codex = await Codex.start({ transport: new StdioTransport({ codexPath: "/opt/codex" }) });
 * ```
 */
export class StdioTransport implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$: Observable<string> = this.subject.asObservable();
  private child: ChildProcessWithoutNullStreams | undefined;
  private stderr = "";
  /** Set by the first byte on stdout: a binary that exits 126/127 before it is one that never ran. */
  private spoke = false;
  private closing = false;
  private ended = false;
  private exited: Promise<void> | undefined;
  private readonly options: StdioTransportOptions;

  constructor(options: StdioTransportOptions = {}) {
    this.options = options;
  }

  get closed(): boolean {
    return this.ended;
  }

  /** The process id of the running app-server, if started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  stderrTail(): string {
    return this.stderr;
  }

  connect(): Promise<void> {
    if (this.child !== undefined) return Promise.reject(new Error("StdioTransport.connect() called twice"));
    let binary: string;
    try {
      binary = resolveCodexBinary(this.options.codexPath !== undefined ? { codexPath: this.options.codexPath } : {});
    } catch (error) {
      this.finish({ reason: "spawn failed", exitCode: null, signal: null }, error);
      return Promise.reject(error);
    }
    const child = spawn(binary, [...(this.options.args ?? ["app-server"])], {
      env: { ...process.env, ...this.options.env },
      cwd: this.options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
      windowsHide: true,
      detached: ownGroup,
    });
    this.child = child;
    // If the Node process exits without close(), the server (and its group) goes with it.
    const forget = killOnExit(child, () => killGroup(child, "SIGKILL"));

    const framer = new LineFramer();
    const onLine = (line: string): void => this.subject.next(line);
    child.stdout.on("data", (chunk: Buffer) => {
      this.spoke = true;
      framer.push(chunk, onLine);
    });
    child.stdout.on("end", () => framer.end(onLine));
    const tailBytes = this.options.stderrTailBytes ?? 8192;
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (text: string) => {
      this.stderr = (this.stderr + text).slice(-tailBytes);
    });
    // A write after the process died raises EPIPE on stdin; the exit path reports it, so swallow here.
    child.stdin.on("error", () => undefined);

    this.exited = new Promise<void>((resolve) => {
      // 'close' (not 'exit') fires after stdout is drained, so no line is lost before we finish.
      child.once("close", (code, signal) => {
        forget();
        // Whatever the server left behind in its group goes too (a no-op after a clean shutdown).
        killGroup(child, "SIGKILL");
        const info = { reason: this.closing ? "closed by client" : "process exited", exitCode: code, signal };
        // 126/127 before a single line: the shell's "cannot execute" / "not found" for a file the
        // system could not run (wrong format or architecture), not an app-server that failed.
        const neverRan = !this.spoke && !this.closing && (code === 126 || code === 127);
        const why = `the system could not execute it (exit code ${code ?? ""} before it wrote anything: wrong format or architecture?)`;
        this.finish(info, neverRan ? new CodexBinaryNotRunnableError(binary, why, { ...info, stderrTail: this.stderr }) : undefined);
        resolve();
      });
    });

    return new Promise<void>((resolve, reject) => {
      child.once("spawn", () => resolve());
      child.once("error", (error: NodeJS.ErrnoException) => {
        forget();
        const wrapped = spawnError(error, binary, this.options.cwd, this.stderr);
        this.finish({ reason: "spawn failed", exitCode: null, signal: null }, wrapped);
        reject(wrapped);
      });
    });
  }

  send(message: string): void {
    const child = this.child;
    if (child === undefined || this.ended || this.closing || !child.stdin.writable) {
      throw new TransportClosedError({
        reason: this.closing ? "closed by client" : child === undefined ? "not connected" : "process exited",
        exitCode: child?.exitCode ?? null,
        signal: child?.signalCode ?? null,
        stderrTail: this.stderr,
      });
    }
    child.stdin.write(message + "\n");
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined) {
      this.finish({ reason: "closed by client", exitCode: null, signal: null });
      return;
    }
    if (!this.closing && !this.ended) {
      this.closing = true;
      const wait = this.options.killTimeoutMs ?? 2000;
      child.stdin.end();
      if (!(await settlesWithin(this.exited, wait))) {
        child.kill("SIGTERM");
        if (!(await settlesWithin(this.exited, wait))) killGroup(child, "SIGKILL");
      }
    }
    await this.exited;
  }

  /** Ends `messages$` once: complete when the client closed it, else error (`error`, or one built from `info`). */
  private finish(info: { reason: string; exitCode: number | null; signal: NodeJS.Signals | null }, error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    if (this.closing) this.subject.complete();
    else this.subject.error(error ?? new TransportClosedError({ ...info, stderrTail: this.stderr }));
  }
}

/** What a failed spawn means: a missing or unusable cwd, a missing binary, or one that cannot run. */
function spawnError(error: NodeJS.ErrnoException, binary: string, cwd: string | undefined, stderrTail: string): Error {
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
  return new TransportClosedError(info, { cause: error });
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

async function settlesWithin(promise: Promise<void> | undefined, ms: number): Promise<boolean> {
  if (promise === undefined) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
