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
 *   --groups latency,deltas    only these groups (import, latency, deltas, soak, scale, tools; and exec:
 *                              50 MiB through codex.exec$ against a raw client, scripts/bench/execGroup.ts)
 *   --cpu-prof DIR             run the workers with `node --cpu-prof --cpu-prof-dir DIR`
 */
import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { resolveCodexBinary } from "../src/transport/resolveCodexBinary.js";
import { importSets, measureImports } from "./bench/importCost.js";
import { measureValidation } from "./bench/validateCost.js";
import { spreadNote, table } from "./bench/rows.js";
import { each, Recorder, rotated, startFake, WorkerHandle } from "./bench/workers.js";
import { buildDir, buildWorkers, root } from "./bench/build.js";
import { QUIET, waitForQuiet } from "./bench/stats.js";
import { runExecGroup } from "./bench/execGroup.js";
import { BURST, MOST_TURNS, RUNNING_GOALS, type ScaleFigures } from "./bench/scale.js";
import { CLIENTS, GROUPS, REPS, SDK_REPS, type ClientName, type GroupName } from "./bench/types.js";
import type { ToolsFigures } from "./bench/types.js";

const SETTLE_MS = 1500;

interface Args {
  readonly clients: readonly ClientName[];
  readonly groups: readonly GroupName[];
  /** The "exec" group: not a table group (its rows are its own), run by `--groups exec` or a full run. */
  readonly exec: boolean;
  readonly cpuProfDir: string | undefined;
}

function parseArgs(argv: readonly string[]): Args {
  let clients: readonly ClientName[] = CLIENTS;
  let groups: readonly GroupName[] = GROUPS;
  let cpuProfDir: string | undefined;
  let exec = true;
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1] ?? "";
    if (flag === "--clients") clients = CLIENTS.filter((c) => value.split(",").includes(c));
    else if (flag === "--groups") {
      groups = GROUPS.filter((g) => value.split(",").includes(g));
      exec = value.split(",").includes("exec");
    }
    else if (flag === "--cpu-prof") cpuProfDir = path.resolve(value);
    else throw new Error(`unknown option ${String(flag)} (see the header of scripts/bench.ts)`);
    i += 1;
  }
  return { clients, groups, exec, cpuProfDir };
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
      // What each client holds before its first long turn (imports, connection, one short turn):
      // the peak below is read against it too, so the turns' own cost shows apart from the floor.
      // Read without a GC: a forced full GC promotes what the turns' scavenges would otherwise copy,
      // and so changes the peak it is compared with.
      for (const [client, r] of await each(workers, "rss")) rec.set(client, "preDeltaRssMiB", r?.rssMiB);
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
  const quiet = await waitForQuiet();
  rec.notes.push(`in-process scale rows started after ${(quiet.waitedMs / 1000).toFixed(0)} s waiting for a quiet machine (CPU idle ${quiet.idle === null ? "n/a" : `${(quiet.idle * 100).toFixed(0)}%`} over the last second; the wait ends at ≥ ${QUIET.idleShare * 100}% or after ${QUIET.maxMs / 1000} s)`);
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

/**
 * The "tools" group (scripts/bench/toolsWorker.ts, in a fresh process): client CPU per tool-call
 * round trip with `tool()` (the codex-rx column) against a raw handler on the same client and
 * server (the raw column).
 */
async function runTools(rec: Recorder, codexPath: string, fakeUrl: string): Promise<void> {
  const child = spawn(process.execPath, ["--expose-gc", path.join(buildDir, "scripts/bench/toolsWorker.js"), codexPath, fakeUrl], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  if (code !== 0) {
    rec.notes.push(`codex-rx: tools group failed (exit ${String(code)})`);
    return;
  }
  const figures = JSON.parse(out.trim().split("\n").pop() ?? "{}") as ToolsFigures;
  rec.set("raw", "toolCpuUsPerCall", figures.rawCpuMsPerCall * 1000);
  rec.set("codex-rx", "toolCpuUsPerCall", figures.toolCpuMsPerCall * 1000);
  if (!figures.correct) rec.notes.push("codex-rx: tools group: a call was not answered as expected");
}

/** The "import" group: fresh processes that only import (scripts/bench/importCost.ts). */
async function runImports(rec: Recorder, clients: readonly ClientName[]): Promise<void> {
  const sets = importSets(buildDir);
  const figures = await measureImports(Object.fromEntries(clients.map((c) => [c, sets[c]])), root);
  for (const [client, f] of figures) {
    rec.set(client as ClientName, "importMs", f.ms);
    rec.set(client as ClientName, "importRssMiB", f.rssMiB);
  }
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
      // The in-process rows first: the real-server rows of the group (100 concurrent turns) leave the
      // machine loaded for a while after they end, and these rows compare CPU per notification.
      if (group === "scale" && args.clients.includes("codex-rx")) await runScaleInProcess(rec, args.cpuProfDir);
      if (group === "tools") await runTools(rec, codexPath, fake.url);
      else if (group === "import") await runImports(rec, args.clients);
      else await runGroup(group, args.clients, { worker, codexPath, fakeUrl: fake.url, cpuProfDir: args.cpuProfDir }, rec);
      console.error(`  ${group.padEnd(7)} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    }
    if (args.exec) {
      const t0 = Date.now();
      const figures = await runExecGroup(codexPath);
      console.error(figures.lines.join("\n"));
      rec.notes.push(...figures.lines.map((l) => l.trim()));
      console.error(`  exec    ${((Date.now() - t0) / 1000).toFixed(1)} s`);
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
