import type { Observable } from "rxjs";
import type { CommandExecParams, CommandExecTerminalSize } from "../../protocol/generated/index.js";
import type { Sandbox } from "../presets.js";

/** A terminal's size in character cells (`command/exec`'s PTY size). */
export type TerminalSize = CommandExecTerminalSize;

/**
 * Run the command in a pseudo-terminal: `true` (the server's default size), or an initial `size`
 * and a `resize$` whose every value resizes it (`command/exec/resize`) while it runs.
 */
export type ExecTty = boolean | { readonly size?: TerminalSize; readonly resize$?: Observable<TerminalSize> };

/**
 * Options of `codex.exec()` / `codex.exec$()`: the protocol's `command/exec` params (`cwd`, `env`,
 * `timeoutMs` / `disableTimeout`, `outputBytesCap` / `disableOutputCap`, `sandboxPolicy`), a
 * `sandbox` preset, and the streams codex-rx drives itself (`stdin`, `tty`). The process id and
 * the streaming flags are codex-rx's own.
 */
export type ExecOptions = Omit<CommandExecParams, "command" | "processId" | "streamStdin" | "streamStdoutStderr" | "tty" | "size"> & {
  /** A sandbox preset, sent as `sandboxPolicy`; given with `sandboxPolicy`, both must name the same sandbox. */
  readonly sandbox?: Sandbox;
  /**
   * The command's standard input: each value is written as it comes (`command/exec/write`; a
   * string as UTF-8), and stdin is closed when it completes. Without it, the command gets no
   * stdin stream (as a non-interactive `sh -c` would).
   */
  readonly stdin?: Observable<string | Uint8Array>;
  /** Run in a pseudo-terminal (stdout and stderr then arrive together on `stdout`). */
  readonly tty?: ExecTty;
};

/** A piece of a command's output. */
export interface ExecChunk {
  readonly stream: "stdout" | "stderr";
  /**
   * The bytes decoded as UTF-8, continuing the stream's earlier chunks: a character split
   * between two chunks is in the text of the second (so joining `text` gives the whole output).
   */
  readonly text: string;
  /** The raw bytes of this chunk, as the server sent them. */
  readonly bytes: Uint8Array;
  /** True on the last chunk of a stream that `outputBytesCap` cut short. */
  readonly capReached: boolean;
}

/** The last event of `exec$`: the command has exited. */
export interface ExecExit {
  readonly exitCode: number;
}

/** What `exec$` emits: output chunks, then one {@link ExecExit}. */
export type ExecEvent = ExecChunk | ExecExit;

/** What `exec()` resolves: the exit code and the whole output of each stream, as text. */
export interface ExecResult {
  /** The exit code (a non-zero exit is a result, not an error; a terminated command's is 137). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Whether an {@link ExecEvent} is the exit.
 *
 * @param event an event of `exec$`
 * @returns true for the {@link ExecExit}
 * @example
 * ```ts
 * codex.exec$(["make"]).subscribe((e) => (isExecExit(e) ? console.log("exit", e.exitCode) : process.stdout.write(e.text)));
 * ```
 */
export function isExecExit(event: ExecEvent): event is ExecExit {
  return "exitCode" in event;
}
