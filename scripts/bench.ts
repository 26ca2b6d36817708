/**
 * `npm run bench`: codex-rx against a raw client (the lower bound) and `@openai/codex-sdk`, on
 * the same machine, the same pinned binary and the same fake Responses server, in one run.
 *
 * The fake runs in its own process (scripts/bench/fake-server.ts). Every (client, group of
 * scenarios) pair runs in a fresh plain `node --expose-gc` process (scripts/bench/worker.ts,
 * transpiled first: no tsx in the measured processes) with a fresh CODEX_HOME, so CPU and RSS are
 * that client's alone. The workers of a group are alive
 * together but take turns step by step (one turn of raw, one of codex-rx, one of the SDK, in a
 * rotating order), so a busy machine slows every client alike and the ratios stay meaningful.
 * Prints a table and writes it to bench/results.md with the date, the machine and the versions.
 * Not a test: `npm test` never runs it, and CI times nothing.
 *
 * Options (a partial run prints but does not write bench/results.md):
 *   --clients raw,codex-rx     only these clients
 *   --groups latency,deltas    only these groups (latency, deltas, soak)
 *   --cpu-prof DIR             run the workers with `node --cpu-prof --cpu-prof-dir DIR`
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { codexHomeFor, type CodexHome } from "../src/testing/codexHome.js";
import { resolveCodexBinary } from "../src/transport/resolveCodexBinary.js";
import { measureValidation } from "./bench/validateCost.js";
import { buildDir, buildWorkers } from "./bench/build.js";
import { BURST, HEAP_TURNS, LONG_TURN_DELTAS, OPEN_REPS, OPEN_TURNS, RUNNING_GOALS, type OpenTurnsFigures, type ScaleFigures } from "./bench/scale.js";
import { CLIENTS, GROUPS, REPS, SDK_REPS, type ClientName, type GroupName, type Step, type StepReply, type StepRequest, type StepResult } from "./bench/types.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const STEP_TIMEOUT_MS = 120_000;
const SETTLE_MS = 1500;

/** What a row checks codex-rx against, relative to raw in the same run. */
type Target =
  | { readonly kind: "ratio"; readonly max: number }
  | { readonly kind: "plusMiB"; readonly max: number }
  | { readonly kind: "equals"; readonly value: number }
  | { readonly kind: "atMostMiB"; readonly max: number }
  | { readonly kind: "atMost"; readonly max: number };

interface Row {
  readonly label: string;
  readonly group: GroupName;
  readonly unit: "ms" | "MiB" | "" | "µs" | "KiB" | "×";
  readonly value: (figures: Readonly<Record<string, number | null>>) => number | null;
  readonly target?: Target;
  /** A figure of codex-rx alone (the raw column stays n/a). */
  readonly codexRxOnly?: boolean;
}

const key =
  (name: string) =>
  (f: Readonly<Record<string, number | null>>): number | null =>
    f[name] ?? null;
const diff =
  (a: string, b: string) =>
  (f: Readonly<Record<string, number | null>>): number | null => {
    const x = f[a];
    const y = f[b];
    return x === undefined || y === undefined || x === null || y === null ? null : x - y;
  };

const MOST_TURNS = OPEN_TURNS[OPEN_TURNS.length - 1] ?? 1;

/** "median 1.12× (min 1.01, max 1.30, 9 paired repetitions)". */
function spreadNote(what: string, f: OpenTurnsFigures): string {
  const { median: mid, min, max, samples } = f.vsOneTurn;
  return `${what}: median ${mid.toFixed(2)}× (min ${min.toFixed(2)}, max ${max.toFixed(2)}, ${samples} paired repetitions)`;
}

const ROWS: readonly Row[] = [
  { label: "client start (spawn → initialize answered)", group: "latency", unit: "ms", value: key("startMs") },
  { label: `new thread + short turn (median of ${REPS.newThreadTurn}; SDK ${SDK_REPS.newThreadTurn})`, group: "latency", unit: "ms", value: key("newThreadTurnMs") },
  { label: `short turn, existing thread (median of ${REPS.shortTurn}; SDK ${SDK_REPS.shortTurn})`, group: "latency", unit: "ms", value: key("shortTurnMs"), target: { kind: "ratio", max: 1.05 } },
  { label: `${REPS.sequential} sequential turns (total)`, group: "latency", unit: "ms", value: key("seq20Ms") },
  { label: `${REPS.sequential} sequential turns: client CPU`, group: "latency", unit: "ms", value: key("seq20CpuMs") },
  { label: `${REPS.concurrent} concurrent turns on one client, new threads (median of ${REPS.concurrentRounds}; SDK ${SDK_REPS.concurrentRounds})`, group: "latency", unit: "ms", value: key("conc8Ms") },
  { label: `10k-delta turn: wall (median of ${REPS.deltaTurns}; SDK ${SDK_REPS.deltaTurns})`, group: "deltas", unit: "ms", value: key("deltaWallMs"), target: { kind: "ratio", max: 1.1 } },
  { label: `10k-delta turn: client CPU (median of ${REPS.deltaTurns}; SDK ${SDK_REPS.deltaTurns})`, group: "deltas", unit: "ms", value: key("deltaCpuMs"), target: { kind: "ratio", max: 1.5 } },
  { label: "10k-delta turn: client peak RSS", group: "deltas", unit: "MiB", value: key("deltaPeakRssMiB"), target: { kind: "plusMiB", max: 25 } },
  { label: "10k-delta turn: deltas delivered (fewest of the runs)", group: "deltas", unit: "", value: key("deltasDelivered"), target: { kind: "equals", value: REPS.deltaCount } },
  { label: `${REPS.soakTurns} turns: RSS after turn ${REPS.soakCheckpoint} (after GC)`, group: "soak", unit: "MiB", value: key(`rss${REPS.soakCheckpoint}MiB`) },
  { label: `${REPS.soakTurns} turns: RSS after turn ${REPS.soakTurns} (after GC)`, group: "soak", unit: "MiB", value: key(`rss${REPS.soakTurns}MiB`) },
  {
    label: `${REPS.soakTurns} turns: RSS growth, turn ${REPS.soakCheckpoint} → ${REPS.soakTurns}`,
    group: "soak",
    unit: "MiB",
    value: diff(`rss${REPS.soakTurns}MiB`, `rss${REPS.soakCheckpoint}MiB`),
    target: { kind: "atMostMiB", max: 5 },
  },
  {
    label: `${REPS.soakTurns} turns: heap growth, turn ${REPS.soakCheckpoint} → ${REPS.soakTurns}`,
    group: "soak",
    unit: "MiB",
    value: diff(`heap${REPS.soakTurns}MiB`, `heap${REPS.soakCheckpoint}MiB`),
    target: { kind: "atMostMiB", max: 1 },
  },
  { label: `${REPS.soakTurns} turns: median turn`, group: "soak", unit: "ms", value: key("soakTurnMs") },
  ...OPEN_TURNS.map(
    (n): Row => ({
      label: `per notification, ${n.toLocaleString("en-US")} open turn${n === 1 ? "" : "s"}: client CPU (median of ${OPEN_REPS} interleaved batches; raw = JSON.parse of the same line)`,
      group: "scale",
      unit: "µs",
      value: key(`cpuUs${n}`),
      ...(n === 1 ? { target: { kind: "ratio", max: 3 } as const } : {}),
    }),
  ),
  {
    label: `per notification: ${MOST_TURNS.toLocaleString("en-US")} open turns vs 1 (codex-rx, median of ${OPEN_REPS} paired repetitions; spread in the notes)`,
    group: "scale",
    unit: "×",
    value: key(`vsOne${MOST_TURNS}`),
    target: { kind: "atMost", max: 1.3 },
    codexRxOnly: true,
  },
  {
    label: `per notification: ${MOST_TURNS.toLocaleString("en-US")} open turns, ${BURST} deltas in a row per turn, vs 1 (codex-rx, median of ${OPEN_REPS})`,
    group: "scale",
    unit: "×",
    value: key("vsOneBursts"),
    codexRxOnly: true,
  },
  {
    label: `per notification: 1 open turn + ${RUNNING_GOALS} running goals vs no goal (codex-rx, median of ${OPEN_REPS})`,
    group: "scale",
    unit: "×",
    value: key("vsOneGoals"),
    target: { kind: "atMost", max: 1.3 },
    codexRxOnly: true,
  },
  { label: `heap per open thread + turn (${HEAP_TURNS.toLocaleString("en-US")} open)`, group: "scale", unit: "KiB", value: key("heapKiB"), target: { kind: "atMost", max: 8 } },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: client CPU per notification (raw = JSON.parse)`, group: "scale", unit: "µs", value: key("longCpuUs") },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: heap kept by the finished turn`, group: "scale", unit: "MiB", value: key("longHeapMiB") },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: deltas replayed`, group: "scale", unit: "", value: key("longDelivered"), target: { kind: "equals", value: LONG_TURN_DELTAS } },
  { label: `${REPS.wide} concurrent turns on one app-server, ${REPS.wideDeltas} deltas each: wall`, group: "scale", unit: "ms", value: key("wideMs") },
  { label: `${REPS.wide} concurrent turns on one app-server: client CPU`, group: "scale", unit: "ms", value: key("wideCpuMs"), target: { kind: "ratio", max: 1.5 } },
  { label: `${REPS.wide} concurrent turns on one app-server: deltas delivered`, group: "scale", unit: "", value: key("wideDeltas"), target: { kind: "equals", value: REPS.wide * REPS.wideDeltas } },
];

interface Args {
  readonly clients: readonly ClientName[];
  readonly groups: readonly GroupName[];
  readonly cpuProfDir: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  let clients: readonly ClientName[] = CLIENTS;
  let groups: readonly GroupName[] = GROUPS;
  let cpuProfDir: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1] ?? "";
    if (flag === "--clients") clients = CLIENTS.filter((c) => value.split(",").includes(c));
    else if (flag === "--groups") groups = GROUPS.filter((g) => value.split(",").includes(g));
    else if (flag === "--cpu-prof") cpuProfDir = path.resolve(value);
    else throw new Error(`unknown option ${String(flag)} (see the header of scripts/bench.ts)`);
    i += 1;
  }
  return { clients, groups, cpuProfDir };
}

/** Starts the fake Responses server in its own process; resolves with its URL and a stop function. */
async function startFake(): Promise<{ url: string; stop: () => void }> {
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
class WorkerHandle {
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

type Figures = Record<string, number | null>;

function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** The clients in a different order for each repetition, so no client always goes first. */
function rotated<T>(items: readonly T[], by: number): T[] {
  const k = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** Collects figures per client while the steps run. */
class Recorder {
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
async function each(workers: readonly WorkerHandle[], step: Step, rep = 0): Promise<Map<ClientName, StepResult | undefined>> {
  const results = new Map<ClientName, StepResult | undefined>();
  for (const w of rotated(workers, rep)) results.set(w.client, await w.call(step));
  return results;
}

function repsFor(client: ClientName, scenario: keyof typeof SDK_REPS): number {
  return client === "codex-sdk" ? SDK_REPS[scenario] : REPS[scenario];
}

interface RunContext {
  readonly worker: string;
  readonly codexPath: string;
  readonly fakeUrl: string;
  readonly cpuProfDir: string | undefined;
}

async function runGroup(group: GroupName, clients: readonly ClientName[], ctx: RunContext, rec: Recorder): Promise<void> {
  // The SDK spawns `codex exec` per turn (≈ 1.4 s): 100 turns would take the run past its budget.
  // The scale group measures routing: the SDK has no per-turn stream to route (and 100 `codex exec`).
  const members = group === "soak" || group === "scale" ? clients.filter((c) => c !== "codex-sdk") : clients;
  const workers: WorkerHandle[] = [];
  try {
    for (const client of members) {
      const prof = ctx.cpuProfDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", ctx.cpuProfDir, "--cpu-prof-name", `${client}-${group}-${Date.now()}.cpuprofile`];
      workers.push(await WorkerHandle.spawn(ctx.worker, client, ctx.codexPath, ctx.fakeUrl, prof));
    }
    for (const [client, r] of await each(workers, "start")) if (group === "latency") rec.set(client, "startMs", client === "codex-sdk" ? null : r?.ms);
    await each(workers, "warm");
    if (group === "latency") {
      const max = (k: keyof typeof SDK_REPS): number => Math.max(...members.map((c) => repsFor(c, k)));
      for (const scenario of ["newThreadTurn", "shortTurn"] as const) {
        for (let rep = 0; rep < max(scenario); rep += 1) {
          const eligible = workers.filter((w) => rep < repsFor(w.client, scenario));
          for (const [client, r] of await each(eligible, scenario, rep)) {
            rec.sample(client, scenario, r?.ms);
            rec.check(client, scenario, r);
          }
        }
        for (const c of members) rec.set(c, `${scenario}Ms`, rec.medianOf(c, scenario));
      }
      for (const [client, r] of await each(workers, "sequential")) {
        rec.set(client, "seq20Ms", r?.ms);
        rec.set(client, "seq20CpuMs", r?.cpuMs);
        rec.check(client, "sequential", r);
      }
      // Each client's eight threads are made right before its own timed turns, and the server gets a
      // moment to settle: new threads start background work that would slow whichever client ran first.
      for (let rep = 0; rep < max("concurrentRounds"); rep += 1) {
        for (const w of rotated(workers, rep).filter((x) => rep < repsFor(x.client, "concurrentRounds"))) {
          await w.call("concurrentPrep");
          await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
          const r = await w.call("concurrent");
          rec.sample(w.client, "concurrent", r?.ms);
          rec.check(w.client, "concurrent", r);
        }
      }
      for (const c of members) rec.set(c, "conc8Ms", rec.medianOf(c, "concurrent"));
    } else if (group === "deltas") {
      for (let rep = 0; rep < REPS.deltaTurns; rep += 1) {
        const eligible = workers.filter((w) => rep < repsFor(w.client, "deltaTurns"));
        for (const [client, r] of await each(eligible, "deltaTurn", rep)) {
          rec.sample(client, "deltaWall", r?.ms);
          rec.sample(client, "deltaCpu", r?.cpuMs);
          rec.check(client, "10k-delta turn", r);
          if (r !== undefined) {
            const before = rec.figures.get(client)?.["deltasDelivered"];
            const delivered = r.deltas ?? null;
            rec.set(client, "deltasDelivered", before === undefined ? delivered : before === null || delivered === null ? null : Math.min(before, delivered));
          }
        }
      }
      for (const [client, r] of await each(workers, "memory")) {
        rec.set(client, "deltaWallMs", rec.medianOf(client, "deltaWall"));
        rec.set(client, "deltaCpuMs", rec.medianOf(client, "deltaCpu"));
        rec.set(client, "deltaPeakRssMiB", r?.peakRssMiB);
      }
    } else if (group === "scale") {
      for (const w of workers) {
        await w.call("widePrep");
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const r = await w.call("wide");
        rec.set(w.client, "wideMs", r?.ms);
        rec.set(w.client, "wideCpuMs", r?.cpuMs);
        rec.set(w.client, "wideDeltas", r?.deltas);
        rec.check(w.client, `${REPS.wide} concurrent turns`, r);
      }
    } else {
      for (let turn = 1; turn <= REPS.soakTurns; turn += 1) {
        for (const [client, r] of await each(workers, "shortTurn", turn)) rec.sample(client, "soakTurn", r?.ms);
        if (turn === REPS.soakCheckpoint || turn === REPS.soakTurns) {
          for (const [client, r] of await each(workers, "memory")) {
            rec.set(client, `rss${turn}MiB`, r?.rssMiB);
            rec.set(client, `heap${turn}MiB`, r?.heapMiB);
          }
        }
      }
      for (const c of members) rec.set(c, "soakTurnMs", rec.medianOf(c, "soakTurn"));
    }
  } finally {
    for (const w of workers) {
      await w.close();
      if (w.note !== undefined) rec.notes.push(`${w.client}: ${group} failed at ${w.note}`);
    }
  }
}

/**
 * The in-process half of the "scale" group (scripts/bench/scaleWorker.ts, in a fresh process):
 * codex-rx's figures, with JSON.parse of the same lines, measured in that process, as "raw".
 */
async function runScaleInProcess(rec: Recorder, cpuProfDir: string | undefined): Promise<void> {
  const prof = cpuProfDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", cpuProfDir, "--cpu-prof-name", `codex-rx-scale-inprocess-${Date.now()}.cpuprofile`];
  const child = spawn(process.execPath, [...prof, "--expose-gc", path.join(buildDir, "scripts/bench/scaleWorker.js")], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  if (code !== 0) {
    rec.notes.push(`codex-rx: in-process scale measurements failed (exit ${String(code)})`);
    return;
  }
  const figures = JSON.parse(out.trim().split("\n").pop() ?? "{}") as ScaleFigures;
  for (const f of figures.open ?? []) {
    rec.set("codex-rx", `cpuUs${f.openTurns}`, f.cpuUsPerNotification);
    rec.set("raw", `cpuUs${f.openTurns}`, f.parseUsPerLine);
    rec.set("codex-rx", `vsOne${f.openTurns}`, f.vsOneTurn.median);
    if (f.openTurns > 1) rec.notes.push(spreadNote(`per notification, ${f.openTurns.toLocaleString("en-US")} open turns vs 1`, f));
    if (!f.correct) rec.notes.push(`codex-rx: ${f.openTurns} open turns lost or misrouted a delta`);
  }
  const extras = [
    ["vsOneBursts", figures.bursts, `per notification, ${MOST_TURNS.toLocaleString("en-US")} open turns in bursts of ${BURST} vs 1`],
    ["vsOneGoals", figures.goals, `per notification, 1 open turn + ${RUNNING_GOALS} running goals vs no goal`],
  ] as const;
  for (const [name, f, what] of extras) {
    if (f === undefined) continue;
    rec.set("codex-rx", name, f.vsOneTurn.median);
    rec.notes.push(spreadNote(what, f));
    if (!f.correct) rec.notes.push(`codex-rx: ${what}: a delta was lost or misrouted`);
  }
  if (figures.heap !== undefined) rec.set("codex-rx", "heapKiB", figures.heap.kibPerThreadTurn);
  if (figures.long !== undefined) {
    rec.set("codex-rx", "longCpuUs", figures.long.cpuUsPerNotification);
    rec.set("raw", "longCpuUs", figures.long.parseUsPerLine);
    rec.set("codex-rx", "longHeapMiB", figures.long.heapMiB);
    rec.set("codex-rx", "longDelivered", figures.long.delivered);
    if (!figures.long.correct) rec.notes.push("codex-rx: the long turn's result or replay was wrong");
  }
}

function format(value: number | null, unit: Row["unit"]): string {
  if (value === null) return "n/a";
  if (unit === "") return String(Math.round(value));
  if (unit === "µs" || unit === "×") return `${value.toFixed(2)}${unit === "µs" ? " µs" : "×"}`;
  if (unit === "KiB") return `${value.toFixed(1)} KiB`;
  return `${value.toFixed(unit === "MiB" ? 1 : value < 100 ? 1 : 0)} ${unit}`;
}

function verdict(target: Target | undefined, raw: number | null, rx: number | null, unit: Row["unit"]): { text: string; met: boolean | null } {
  if (target === undefined) return { text: "", met: null };
  const unknown = rx === null || (raw === null && target.kind !== "equals" && target.kind !== "atMostMiB" && target.kind !== "atMost");
  switch (target.kind) {
    case "ratio":
      return { text: `≤ ${target.max.toFixed(2)}×`, met: unknown ? null : (rx ?? 0) <= (raw ?? 0) * target.max };
    case "plusMiB":
      return { text: `≤ raw + ${target.max} MiB`, met: unknown ? null : (rx ?? 0) <= (raw ?? 0) + target.max };
    case "equals":
      return { text: `= ${target.value}`, met: unknown ? null : rx === target.value };
    case "atMostMiB":
      return { text: `≤ ${target.max} MiB (flat)`, met: unknown ? null : (rx ?? 0) <= target.max };
    case "atMost":
      return { text: `≤ ${target.max}${unit === "×" ? "×" : unit === "" ? "" : ` ${unit}`}`, met: rx === null ? null : rx <= target.max };
  }
}

function ratio(row: Row, raw: number | null, rx: number | null): string {
  if (raw === null || rx === null || row.unit === "×") return "n/a";
  if (row.unit === "MiB") return `${rx - raw >= 0 ? "+" : ""}${(rx - raw).toFixed(1)} MiB`;
  if (raw === 0) return "n/a";
  return `${(rx / raw).toFixed(2)}×`;
}

function table(figures: ReadonlyMap<ClientName, Figures>, groups: readonly GroupName[]): { markdown: string; met: number; missed: string[] } {
  const lines = ["| scenario | raw | codex-rx | codex-sdk | codex-rx vs raw | target (codex-rx) | met |", "|---|--:|--:|--:|--:|---|:-:|"];
  let met = 0;
  const missed: string[] = [];
  for (const row of ROWS.filter((r) => groups.includes(r.group))) {
    const value = (client: ClientName): number | null => {
      const f = figures.get(client);
      return f === undefined ? null : row.value(f);
    };
    const [raw, rx, sdk] = [row.codexRxOnly ? null : value("raw"), value("codex-rx"), value("codex-sdk")];
    const check = verdict(row.target, raw, rx, row.unit);
    if (check.met === true) met += 1;
    if (check.met === false) missed.push(row.label);
    const mark = check.met === null ? (row.target === undefined ? "" : "?") : check.met ? "yes" : "**no**";
    lines.push(`| ${row.label} | ${format(raw, row.unit)} | ${format(rx, row.unit)} | ${format(sdk, row.unit)} | ${ratio(row, raw, rx)} | ${check.text} | ${mark} |`);
  }
  return { markdown: lines.join("\n"), met, missed };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const codexPath = resolveCodexBinary();
  const binaryVersion = execFileSync(codexPath, ["--version"], { encoding: "utf8" }).trim();
  const sdkVersion = (JSON.parse(readFileSync(path.join(root, "node_modules/@openai/codex-sdk/package.json"), "utf8")) as { version: string }).version;
  if (args.cpuProfDir !== undefined) await mkdir(args.cpuProfDir, { recursive: true });
  const loadBefore = os.loadavg()[0] ?? 0;
  const startedAt = Date.now();
  const worker = await buildWorkers();
  const fake = await startFake();
  const rec = new Recorder();
  try {
    for (const group of args.groups) {
      const t0 = Date.now();
      await runGroup(group, args.clients, { worker, codexPath, fakeUrl: fake.url, cpuProfDir: args.cpuProfDir }, rec);
      if (group === "scale" && args.clients.includes("codex-rx")) await runScaleInProcess(rec, args.cpuProfDir);
      console.error(`  ${group.padEnd(7)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
  } finally {
    fake.stop();
  }
  const { markdown, met, missed } = table(rec.figures, args.groups);
  const notes = rec.notes.map((n) => `- ${n}`);
  const seconds = (Date.now() - startedAt) / 1000;
  const header = [
    `Date: ${new Date(startedAt).toISOString()} · machine: ${os.availableParallelism()} CPUs (nproc), ${os.cpus()[0]?.model ?? "unknown CPU"}, ` +
      `load average ${loadBefore.toFixed(1)} → ${(os.loadavg()[0] ?? 0).toFixed(1)} · node ${process.version} · binary: ${binaryVersion} · @openai/codex-sdk ${sdkVersion} · run took ${seconds.toFixed(0)} s`,
  ];
  const summary = `codex-rx targets met: ${met}${missed.length > 0 ? `; missed: ${missed.join("; ")}` : ""}.`;
  // Outgoing validation, in process (it is also inside every codex-rx turn above).
  const v = measureValidation();
  notes.push(
    `- outgoing validation (scripts/bench/validateCost.ts): turn/start ${v.turnStartUs.toFixed(1)} µs, thread/start ${v.threadStartUs.toFixed(1)} µs, ` +
      `invalid params with a suggestion ${v.typoUs.toFixed(1)} µs per call`,
  );
  const text = [...header, "", markdown, "", summary, ...(notes.length > 0 ? ["", "Notes:", ...notes] : [])].join("\n");
  console.log(`\n${text}\n`);
  const complete = args.clients.length === CLIENTS.length && args.groups.length === GROUPS.length && args.cpuProfDir === undefined;
  if (!complete) {
    console.log("(partial or profiled run: bench/results.md left as it was)");
    return;
  }
  const doc = [
    "# Benchmark: codex-rx vs a raw client vs @openai/codex-sdk",
    "",
    "Written by `npm run bench` (scripts/bench.ts); do not edit by hand. Same machine, same pinned binary,",
    "same fake Responses server (its own process) for all three. Each client runs each group of scenarios",
    "in a fresh plain `node --expose-gc` process (transpiled ahead, no tsx loader) with a fresh CODEX_HOME,",
    "so CPU and RSS are the client's own. The clients of a group take turns step by step (rotating order),",
    "so machine load hits them alike.",
    "raw = child_process + readline + JSON.parse, no validation (the lower bound). codex-rx validates",
    "every message with zod. codex-sdk spawns `codex exec` per turn and has no deltas (n/a); its",
    `${REPS.soakTurns}-turn run is skipped (≈ 1.4 s per turn would exceed the run's budget).`,
    "Figures on a loaded machine are noisy: compare ratios within one run, not across runs.",
    "",
    text,
    "",
  ].join("\n");
  await mkdir(path.join(root, "bench"), { recursive: true });
  await writeFile(path.join(root, "bench/results.md"), doc);
  console.log("written: bench/results.md");
}

await main();
