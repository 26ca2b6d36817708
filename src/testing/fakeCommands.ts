import type { SchedulerLike, Subscription } from "rxjs";
import type { CommandExecParams, CommandExecTerminalSize } from "../protocol/generated/index.js";
import type { MethodReply, MethodTable } from "./fakeMethods.js";

// `command/exec` on the fake app-server, after the real server (APP-SERVER-NOTES, "Beyond the
// conversation"): streamed output as base64 `command/exec/outputDelta`s, then the answer
// `{ exitCode, stdout: "", stderr: "" }` after the last of them; write / resize / terminate of a
// process id the server does not run answer -32600; a terminated process exits 137.

/** One piece of a fake command's output. */
export interface FakeOutput {
  /** Default `stdout`. */
  readonly stream?: "stdout" | "stderr";
  /** A string is sent as its UTF-8 bytes. */
  readonly data: string | Uint8Array;
  /** Milliseconds after the previous piece (or the start). Default 0. */
  readonly delayMs?: number;
}

/** What a fake command does; `{}` exits 0 at once with no output. */
export interface FakeCommand {
  readonly output?: readonly FakeOutput[];
  /** Default 0. */
  readonly exitCode?: number;
  /**
   * After its output, keep running until `command/exec/terminate` (exit 137) or, with
   * `"stdinClosed"`, until its stdin is closed (then it exits with `exitCode`).
   */
  readonly until?: "terminate" | "stdinClosed";
  /** Write what arrives on stdin back to stdout, as `cat` does. */
  readonly echoStdin?: boolean;
}

/** Decides what a command does; default: every command is `{}`. */
export type FakeCommandResponder = (argv: readonly string[], params: CommandExecParams) => FakeCommand;

/** A command the fake runs or ran, as a test inspects it. */
export interface FakeProcess {
  readonly processId: string;
  readonly argv: readonly string[];
  readonly params: CommandExecParams;
  /** Everything written to its stdin, decoded as UTF-8, in order. */
  readonly stdin: string[];
  stdinClosed: boolean;
  /** Every `command/exec/resize`, in order. */
  readonly sizes: CommandExecTerminalSize[];
  terminated: boolean;
  /** Set when it exited. */
  exitCode: number | undefined;
}

/** What the command methods need of the fake. */
export interface CommandHost {
  readonly scheduler: SchedulerLike;
  send(message: object): void;
  commands: FakeCommandResponder;
  /** Every process by id: running ones and those that exited. */
  readonly processes: Map<string, FakeProcess>;
}

interface Running {
  readonly process: FakeProcess;
  readonly command: FakeCommand;
  readonly timers: Subscription[];
  readonly exit: (exitCode: number) => void;
  outputDone: boolean;
}

const refuse = (message: string): MethodReply => ({ error: { code: -32600, message } });

/** The `command/exec` methods, and `stopAll` for the fake's shutdown. */
export function commandMethods(host: CommandHost): { readonly methods: MethodTable; stopAll(): void } {
  const running = new Map<string, Running>();
  const delta = (processId: string, stream: "stdout" | "stderr", data: string | Uint8Array): void =>
    host.send({ method: "command/exec/outputDelta", params: { processId, stream, deltaBase64: Buffer.from(data).toString("base64"), capReached: false } });
  const finish = (run: Running): void => {
    if (run.command.until === undefined) run.exit(run.command.exitCode ?? 0);
  };
  const methods: MethodTable = {
    "command/exec": (params, _state, respond) => {
      if (params.command.length === 0) return refuse("command must not be empty");
      const processId = params.processId;
      if (processId == null) return { result: { exitCode: 0, stdout: "", stderr: "" } };
      if (running.has(processId)) return refuse(`duplicate active command/exec process id: ${JSON.stringify(processId)}`);
      const command = host.commands(params.command, params);
      const process: FakeProcess = { processId, argv: params.command, params, stdin: [], stdinClosed: false, sizes: [], terminated: false, exitCode: undefined };
      host.processes.set(processId, process);
      const run: Running = {
        process,
        command,
        timers: [],
        outputDone: false,
        exit: (exitCode) => {
          if (!running.delete(processId)) return;
          for (const t of run.timers) t.unsubscribe();
          process.exitCode = exitCode;
          respond({ exitCode, stdout: "", stderr: "" });
        },
      };
      running.set(processId, run);
      let at = 0;
      for (const piece of command.output ?? []) {
        at += piece.delayMs ?? 0;
        run.timers.push(host.scheduler.schedule(() => delta(processId, piece.stream ?? "stdout", piece.data), at));
      }
      run.timers.push(
        host.scheduler.schedule(() => {
          run.outputDone = true;
          finish(run);
        }, at),
      );
      return { later: true };
    },
    "command/exec/write": (params) => {
      const run = running.get(params.processId);
      if (run === undefined) return refuse(`no active command/exec for process id ${JSON.stringify(params.processId)}`);
      if (params.deltaBase64 != null) {
        const bytes = Buffer.from(params.deltaBase64, "base64");
        run.process.stdin.push(bytes.toString("utf8"));
        if (run.command.echoStdin === true) delta(params.processId, "stdout", bytes);
      }
      if (params.closeStdin === true) {
        run.process.stdinClosed = true;
        if (run.command.until === "stdinClosed") host.scheduler.schedule(() => run.exit(run.command.exitCode ?? 0));
      }
      return { result: {} };
    },
    "command/exec/resize": (params) => {
      const run = running.get(params.processId);
      if (run === undefined) return refuse(`no active command/exec for process id ${JSON.stringify(params.processId)}`);
      run.process.sizes.push(params.size);
      return { result: {} };
    },
    "command/exec/terminate": (params) => {
      const run = running.get(params.processId);
      if (run === undefined) return refuse(`no active command/exec for process id ${JSON.stringify(params.processId)}`);
      run.process.terminated = true;
      host.scheduler.schedule(() => run.exit(137));
      return { result: {} };
    },
  };
  return {
    methods,
    // The real server ends a connection's processes with it.
    stopAll: () => {
      for (const run of running.values()) {
        for (const t of run.timers) t.unsubscribe();
        run.process.terminated = true;
        run.process.exitCode = 137;
      }
      running.clear();
    },
  };
}
