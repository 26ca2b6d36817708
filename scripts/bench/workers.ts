// The bench's processes: the fake Responses server, and one worker per (client, group) driven
// step by step over IPC, taking turns in a rotating order; the figures they report.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { codexHomeFor, type CodexHome } from "../../src/testing/codexHome.js";
import { root } from "./build.js";
import type { Figures } from "./rows.js";
import { median } from "./stats.js";
import type { ClientName, Step, StepReply, StepRequest, StepResult } from "./types.js";

const STEP_TIMEOUT_MS = 120_000;

/** Starts the fake Responses server in its own process; resolves with its URL and a stop function. */
export async function startFake(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench/fake-server.ts")], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once("line", (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once("exit", (code) => reject(new Error(`fake server exited (${String(code)}) before listening`)));
  });
  return { url, stop: () => child.kill("SIGTERM") };
}

/** A worker process: one client, one group, driven step by step over IPC. */
export class WorkerHandle {
  private readonly waiting = new Map<number, { resolve: (r: StepResult) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private stderr = "";
  private failure: string | undefined;
  private readonly ready: Promise<void>;

  private constructor(
    readonly client: ClientName,
    private readonly child: ChildProcess,
    private readonly home: CodexHome,
  ) {
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (this.stderr = (this.stderr + text).slice(-4000)));
    child.stdout?.resume();
    this.ready = new Promise<void>((resolve, reject) => this.waiting.set(0, { resolve: () => resolve(), reject }));
    child.on("message", (message: unknown) => {
      const reply = message as StepReply;
      const waiter = this.waiting.get(reply.id);
      if (waiter === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.result);
      else waiter.reject(new Error(reply.error));
    });
    child.once("exit", (code, signal) => {
      const why = this.stderr.trim().split("\n").slice(-3).join(" / ") || `exit ${String(code ?? signal)}`;
      for (const w of this.waiting.values()) w.reject(new Error(`worker exited: ${why}`));
      this.waiting.clear();
    });
  }

  static async spawn(worker: string, client: ClientName, codexPath: string, fakeUrl: string, cpuProf: string[]): Promise<WorkerHandle> {
    const home = await codexHomeFor(fakeUrl);
    const child = spawn(process.execPath, [...cpuProf, "--expose-gc", worker, client, codexPath, home.path], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    const handle = new WorkerHandle(client, child, home);
    await handle.ready;
    return handle;
  }

  /** Runs one step; after a failure the worker is skipped (its figures stay n/a) and the note kept. */
  async call(step: Step): Promise<StepResult | undefined> {
    if (this.failure !== undefined) return undefined;
    const id = this.nextId++;
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STEP_TIMEOUT_MS);
    try {
      return await new Promise<StepResult>((resolve, reject) => {
        this.waiting.set(id, { resolve, reject });
        this.child.send({ id, step } satisfies StepRequest);
      });
    } catch (error) {
      this.failure = `${step}: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  get note(): string | undefined {
    return this.failure;
  }

  async close(): Promise<void> {
    await this.call("close");
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await this.home.cleanup();
  }
}

/** The clients in a different order for each repetition, so no client always goes first. */
export function rotated<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Collects figures per client while the steps run. */
export class Recorder {
  readonly figures = new Map<ClientName, Figures>();
  readonly samples = new Map<string, number[]>();
  readonly notes: string[] = [];

  set(client: ClientName, name: string, value: number | null | undefined): void {
    const f = this.figures.get(client) ?? {};
    f[name] = value ?? null;
    this.figures.set(client, f);
  }

  sample(client: ClientName, name: string, value: number | undefined): void {
    if (value === undefined) return;
    const k = `${client}\u0000${name}`;
    this.samples.set(k, [...(this.samples.get(k) ?? []), value]);
  }

  medianOf(client: ClientName, name: string): number | null {
    return median(this.samples.get(`${client}\u0000${name}`) ?? []);
  }

  check(client: ClientName, what: string, result: StepResult | undefined): void {
    if (result?.correct === false) this.notes.push(`${client}: ${what} gave a wrong answer`);
  }
}

/** Every worker runs `step` in turn (rotated by `rep`); resolves with each one's result. */
export async function each(workers: readonly WorkerHandle[], step: Step, rep = 0): Promise<Map<ClientName, StepResult | undefined>> {
  const results = new Map<ClientName, StepResult | undefined>();
  for (const w of rotated(workers, rep)) results.set(w.client, await w.call(step));
  return results;
}
