/**
 * The "exec" group (`npm run bench -- --groups exec`): a command writing 50 MiB to stdout through
 * `codex.exec$`, against a raw client decoding the same notifications (scripts/bench/execWorker.ts).
 * Each (client, round) runs in a fresh plain `node` process with its own app-server and CODEX_HOME;
 * the rounds alternate the order of the clients, so machine load hits both alike. Reported: client
 * CPU per MiB (median of the rounds), the ratio (target at most 1.5×), and whether every byte and
 * every character of stdout arrived (the server's default 10 s timeout and 1 MiB output cap are
 * turned off for the command: `disableTimeout`, `disableOutputCap`).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildDir, root } from "./build.js";
import { execArgv, type ExecRun } from "./execWorker.js";
import { median } from "./stats.js";

/** 50 MiB, the issue's size. */
export const EXEC_BYTES = 50 * 1024 * 1024;
const ROUNDS = 3;
const MiB = 1024 * 1024;

/** What the group measured, per client. */
export interface ExecFigures {
  readonly cpuMsPerMiB: Readonly<Record<ExecClient, number | null>>;
  readonly wallMs: Readonly<Record<ExecClient, number | null>>;
  readonly ratio: number | null;
  /** Every run received exactly the command's bytes and characters, and exit code 0. */
  readonly complete: boolean;
  readonly lines: readonly string[];
}

type ExecClient = "raw" | "raw-readline" | "codex-rx";
const EXEC_CLIENTS: readonly ExecClient[] = ["raw", "raw-readline", "codex-rx"];

async function runOnce(client: ExecClient, codexPath: string): Promise<ExecRun> {
  const home = await mkdtemp(path.join(os.tmpdir(), "codex-rx-bench-exec-"));
  try {
    const child = spawn(process.execPath, [path.join(buildDir, "scripts/bench/execWorker.js"), client, codexPath, home, String(EXEC_BYTES)], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => (out += text));
    const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    if (code !== 0) throw new Error(`${client} exec worker exited ${String(code)}`);
    return JSON.parse(out.trim().split("\n").pop() ?? "{}") as ExecRun;
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/**
 * Runs the group (the workers must be built: `buildWorkers()`).
 *
 * @param codexPath the app-server binary
 * @returns the figures and the lines to print
 */
export async function runExecGroup(codexPath: string): Promise<ExecFigures> {
  const [program, ...args] = execArgv(EXEC_BYTES);
  const expected = execFileSync(program ?? "sh", args, { maxBuffer: EXEC_BYTES + MiB, stdio: ["ignore", "pipe", "ignore"] });
  const expectedChars = expected.toString("utf8").length;
  const runs: Record<ExecClient, ExecRun[]> = { raw: [], "raw-readline": [], "codex-rx": [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Rotated each round, so a busy stretch of the machine does not always hit the same client.
    const order = EXEC_CLIENTS.map((_, i) => EXEC_CLIENTS[(i + round) % EXEC_CLIENTS.length] as ExecClient);
    for (const client of order) runs[client].push(await runOnce(client, codexPath));
  }
  const complete = Object.values(runs).every((all) => all.every((r) => r.bytes === expected.length && r.chars === expectedChars && r.exitCode === 0));
  const perMiB = (client: ExecClient): number | null => median(runs[client].map((r) => r.cpuMs / (EXEC_BYTES / MiB)));
  const wall = (client: ExecClient): number | null => median(runs[client].map((r) => r.wallMs));
  const cpuMsPerMiB = { raw: perMiB("raw"), "raw-readline": perMiB("raw-readline"), "codex-rx": perMiB("codex-rx") };
  const wallMs = { raw: wall("raw"), "raw-readline": wall("raw-readline"), "codex-rx": wall("codex-rx") };
  const raw = cpuMsPerMiB.raw;
  const rx = cpuMsPerMiB["codex-rx"];
  const ratio = raw === null || rx === null || raw === 0 ? null : rx / raw;
  const fmt = (n: number | null, digits = 2): string => (n === null ? "n/a" : n.toFixed(digits));
  const lines = [
    `exec$ of a command writing ${EXEC_BYTES / MiB} MiB to stdout (${ROUNDS} rounds, fresh processes, median):`,
    `  client CPU per MiB: raw ${fmt(raw)} ms, raw with readline ${fmt(cpuMsPerMiB["raw-readline"])} ms, codex-rx ${fmt(rx)} ms → ${fmt(ratio)}× raw (target ≤ 1.5×)`,
    `  wall: raw ${fmt(wallMs.raw, 0)} ms, raw with readline ${fmt(wallMs["raw-readline"], 0)} ms, codex-rx ${fmt(wallMs["codex-rx"], 0)} ms`,
    `  every byte and character delivered in every run: ${complete ? "yes" : `NO (${JSON.stringify(runs)})`}`,
  ];
  return { cpuMsPerMiB, wallMs, ratio, complete, lines };
}
