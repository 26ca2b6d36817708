import { spawn, type ChildProcess as NodeChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { killOnExit } from "./killOnExit.js";

/** How to start a child process with {@link ChildProcess}. */
export interface ChildProcessOptions {
  /** Arguments after the binary. */
  readonly args: readonly string[];
  /** Merged over `process.env`. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly cwd?: string | undefined;
  /** Pipe stdin and stdout (a server spoken to over stdio), or ignore them (one that listens on a socket). */
  readonly pipeStdio: boolean;
  /** How much stderr to keep for error messages. Default 8 KiB. */
  readonly stderrTailBytes?: number | undefined;
}

/** How a child process ended. */
export interface ChildExit {
  /** Its exit code; null when a signal ended it or it never ran. */
  readonly exitCode: number | null;
  /** The signal that ended it; null when none. */
  readonly signal: NodeJS.Signals | null;
  /** Set when it could not be started at all (ENOENT, EACCES, …). */
  readonly spawnError?: NodeJS.ErrnoException;
}

// On POSIX the child runs in a process group of its own, so the helpers it starts (e.g. the
// app-server's `bash -lc` shell snapshot) can be ended with it: after a crash they would otherwise
// be re-parented to init and linger. (Ctrl-C then no longer reaches the child directly; a stdio
// server exits on stdin EOF when Node goes away, and killOnExit ends the group.)
const ownGroup = process.platform !== "win32";

/**
 * The one owner of a child process, for the stdio transport and the test kit's WebSocket server:
 * spawns it in its own process group, keeps a bounded tail of its stderr, ends it with
 * stdin EOF → SIGTERM → SIGKILL on the group, ends the group if Node exits first (no orphan), and
 * reports how it ended. Once it has exited, whatever is left in its group is killed too.
 */
export class ChildProcess {
  /** The Node child process. */
  readonly process: NodeChildProcess;
  /** Resolves when the process has started; rejects with the spawn error (ENOENT, EACCES, …). */
  readonly spawned: Promise<void>;
  /** Resolves once the process is gone and its stdout/stderr are drained (or it never started); never rejects. */
  readonly exited: Promise<ChildExit>;
  private tail = "";
  private exit: ChildExit | undefined;
  private stopping: Promise<ChildExit> | undefined;

  /**
   * Spawns `binary` now.
   *
   * @param binary the executable
   * @param options arguments, environment, working directory, stdio, stderr tail size
   */
  constructor(
    binary: string,
    options: ChildProcessOptions,
  ) {
    const child = spawn(binary, [...options.args], {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      stdio: options.pipeStdio ? ["pipe", "pipe", "pipe"] : ["ignore", "ignore", "pipe"],
      windowsHide: true,
      detached: ownGroup,
    });
    this.process = child;
    // If the Node process exits first, the child (and its group) goes with it.
    const forget = killOnExit(child, () => this.signalGroup("SIGKILL"));
    const tailBytes = options.stderrTailBytes ?? 8192;
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      this.tail = (this.tail + text).slice(-tailBytes);
    });
    // A write after the process died raises EPIPE on stdin; the exit reports it, so swallow here.
    child.stdin?.on("error", () => undefined);
    // What the child left behind in its group goes at its exit (a no-op after a clean shutdown);
    // this also closes pipes a helper inherited, so 'close' below can fire.
    child.once("exit", () => this.signalGroup("SIGKILL"));

    let rejectSpawn: (error: NodeJS.ErrnoException) => void = () => undefined;
    this.spawned = new Promise<void>((resolve, reject) => {
      rejectSpawn = reject;
      child.once("spawn", () => resolve());
    });
    // Nobody need await `spawned`: a spawn failure is also reported by `exited`.
    this.spawned.catch(() => undefined);
    this.exited = new Promise<ChildExit>((resolve) => {
      const settle = (exit: ChildExit): void => {
        if (this.exit !== undefined) return;
        this.exit = exit;
        forget();
        resolve(exit);
      };
      // `on`, not `once`: a later 'error' (a failed kill) must find a listener too.
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (child.pid !== undefined) return; // started: the error is about a signal or a pipe, 'close' follows
        rejectSpawn(error);
        settle({ exitCode: null, signal: null, spawnError: error });
      });
      // 'close' (not 'exit') fires after stdout is drained, so no line is lost before the exit is reported.
      child.once("close", (exitCode: number | null, signal: NodeJS.Signals | null) => settle({ exitCode, signal }));
    });
  }

  /** The process id; undefined when it could not be started. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** True until the process has exited (or failed to start). */
  get running(): boolean {
    return this.exit === undefined;
  }

  /** The child's stdin (only with `pipeStdio`). */
  get stdin(): Writable | null {
    return this.process.stdin;
  }

  /** The child's stdout (only with `pipeStdio`). */
  get stdout(): Readable | null {
    return this.process.stdout;
  }

  /** The last lines the process wrote to stderr (at most `stderrTailBytes`). */
  stderrTail(): string {
    return this.tail;
  }

  /**
   * Sends a signal to the process alone (its group is ended when it exits); never throws.
   *
   * @param signal e.g. `"SIGKILL"` to test a server that dies
   */
  signal(signal: NodeJS.Signals): void {
    try {
      this.process.kill(signal);
    } catch {
      // already gone
    }
  }

  /**
   * Ends the process politely, then less so: stdin EOF (when piped), then SIGTERM, then SIGKILL,
   * to the whole group, waiting `graceMs` before each escalation. Idempotent.
   *
   * @param graceMs how long each step may take before the next
   * @returns how it ended, once it is gone
   */
  stop(graceMs: number): Promise<ChildExit> {
    this.stopping ??= (async () => {
      if (this.running && this.process.stdin !== null) {
        this.process.stdin.end();
        if (await this.exitsWithin(graceMs)) return this.exited;
      }
      if (this.running) {
        this.signalGroup("SIGTERM");
        if (await this.exitsWithin(graceMs)) return this.exited;
      }
      this.signalGroup("SIGKILL");
      return this.exited;
    })();
    return this.stopping;
  }

  /** Signals the whole process group (POSIX), or the child alone; never throws. */
  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (ownGroup && this.process.pid !== undefined) process.kill(-this.process.pid, signal);
      else this.process.kill(signal);
    } catch {
      // ESRCH: already gone.
    }
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.exited.then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
