/**
 * The "exec" group (`npm run bench -- --groups exec`): a command writing 50 MiB to stdout through
 * `codex.exec$`, against a raw client decoding the same notifications (scripts/bench/execWorker.ts).
 * Each (client, round) runs in a fresh plain `node` process with its own app-server and CODEX_HOME;
 * the rounds alternate the order of the clients, so machine load hits both alike. Reported: client
 * CPU per MiB (median of the rounds), the ratio (target at most 1.5×), and whether every byte and
 * every character arrived.
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
  readonly cpuMsPerMiB: { readonly raw: number | null; readonly "codex-rx": number | null };
  readonly wallMs: { readonly raw: number | null; readonly "codex-rx": number | null };
  readonly ratio: number | null;
  /** Every run received exactly the command's bytes and characters, and exit code 0. */
  readonly complete: boolean;
  readonly lines: readonly string[];
}

async function runOnce(client: "raw" | "codex-rx", codexPath: string): Promise<ExecRun> {
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
  const expected = execFileSync(program ?? "sh", args, { maxBuffer: EXEC_BYTES + MiB });
  const expectedChars = expected.toString("utf8").length;
  const runs: Record<"raw" | "codex-rx", ExecRun[]> = { raw: [], "codex-rx": [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (["raw", "codex-rx"] as const) : (["codex-rx", "raw"] as const);
    for (const client of order) runs[client].push(await runOnce(client, codexPath));
  }
  const complete = [...runs.raw, ...runs["codex-rx"]].every((r) => r.bytes === expected.length && r.chars === expectedChars && r.exitCode === 0);
  const perMiB = (client: "raw" | "codex-rx"): number | null => median(runs[client].map((r) => r.cpuMs / (EXEC_BYTES / MiB)));
  const wall = (client: "raw" | "codex-rx"): number | null => median(runs[client].map((r) => r.wallMs));
  const raw = perMiB("raw");
  const rx = perMiB("codex-rx");
  const ratio = raw === null || rx === null || raw === 0 ? null : rx / raw;
  const fmt = (n: number | null, digits = 2): string => (n === null ? "n/a" : n.toFixed(digits));
  const lines = [
    `exec$ of a command writing ${EXEC_BYTES / MiB} MiB to stdout (${ROUNDS} rounds, fresh processes, median):`,
    `  client CPU per MiB: raw ${fmt(raw)} ms, codex-rx ${fmt(rx)} ms → ${fmt(ratio)}× (target ≤ 1.5×)`,
    `  wall: raw ${fmt(wall("raw"), 0)} ms, codex-rx ${fmt(wall("codex-rx"), 0)} ms`,
    `  every byte and character delivered in every run: ${complete ? "yes" : `NO (${JSON.stringify(runs)})`}`,
  ];
  return { cpuMsPerMiB: { raw, "codex-rx": rx }, wallMs: { raw: wall("raw"), "codex-rx": wall("codex-rx") }, ratio, complete, lines };
}
