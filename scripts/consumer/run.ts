// The consumer check's plumbing: one temp dir and every child process group, removed whatever
// happens; commands run in their own process group; each check's outcome recorded and printed.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A step's default time limit. */
const STEP_TIMEOUT_MS = 5 * 60_000;

// ── cleanup: the temp dir and every child process group go, whatever happens ──────────────────

let tmp: string | undefined;

/** Makes the run's temp dir (with a `tmp/` inside for the children's temp files). */
export function makeTempDir(): string {
  tmp = mkdtempSync(path.join(os.tmpdir(), "codex-rx-consumer-"));
  mkdirSync(path.join(tmp, "tmp"));
  return tmp;
}
const children = new Set<ChildProcess>();

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

export function cleanup(): void {
  for (const child of children) killGroup(child);
  children.clear();
  if (tmp !== undefined && process.env["CHECK_CONSUMER_KEEP"] === "1") console.log(`kept ${tmp} (CHECK_CONSUMER_KEEP=1)`);
  else if (tmp !== undefined) rmSync(tmp, { recursive: true, force: true, maxRetries: 3 });
  tmp = undefined;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: removing ${tmp ?? "nothing"} and stopping\n`);
    cleanup();
    process.exit(128 + os.constants.signals[signal]);
  });
}

// ── running commands ──────────────────────────────────────────────────────────────────────────

export interface RunResult {
  readonly ok: boolean;
  readonly output: string;
}

interface RunOptions {
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}

/** Runs a command in its own process group; the whole group is killed on timeout or on exit. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.add(child);
    const chunks: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
    const timeoutMs = options.timeoutMs ?? STEP_TIMEOUT_MS;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    const finish = (ok: boolean, note: string): void => {
      clearTimeout(timer);
      // The command's own children (an app-server, a test worker) go with it.
      killGroup(child);
      children.delete(child);
      resolve({ ok, output: Buffer.concat(chunks).toString("utf8") + note });
    };
    child.on("error", (error) => finish(false, `\n${command}: ${error.message}`));
    child.on("close", (code, signal) => {
      if (timedOut) finish(false, `\ntimed out after ${timeoutMs} ms`);
      else finish(code === 0, code === 0 ? "" : `\nexit ${code ?? signal ?? "?"}`);
    });
  });
}

/** The environment of every child: temp files go inside our temp dir, so they are removed with it. */
function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (tmp !== undefined) {
    const scratch = path.join(tmp, "tmp");
    env["TMPDIR"] = scratch;
    env["TMP"] = scratch;
    env["TEMP"] = scratch;
  }
  // npm run sets these for the script; the nested npm and node processes must not inherit them.
  for (const key of Object.keys(env)) if (key.startsWith("npm_")) delete env[key];
  return env;
}

// ── results ───────────────────────────────────────────────────────────────────────────────────

export interface Outcome {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
}
export const outcomes: Outcome[] = [];

function tail(text: string, lines = 40): string {
  const all = text.trimEnd().split("\n");
  return (all.length > lines ? ["…", ...all.slice(-lines)] : all).map((line) => `    ${line}`).join("\n");
}

/** Runs one check, prints a line for it (and the failure's output), and records the outcome. */
export async function check(name: string, body: () => Promise<RunResult>): Promise<boolean> {
  const started = Date.now();
  let result: RunResult;
  try {
    result = await body();
  } catch (error) {
    result = { ok: false, output: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  const ms = Date.now() - started;
  outcomes.push({ name, ok: result.ok, ms });
  console.log(`${result.ok ? "ok  " : "FAIL"} ${name} (${(ms / 1000).toFixed(1)} s)`);
  if (!result.ok) console.log(tail(result.output));
  return result.ok;
}

export const passed = (output = ""): RunResult => ({ ok: true, output });

/** A test run passes only when its runner reports exactly the tests the file declares, all passed. */
export function expectTests(result: RunResult, declared: number, passedCount: RegExp): RunResult {
  if (!result.ok) return result;
  // Runners colour their summaries.
  const plain = result.output.replace(/\u001b\[[0-9;]*m/g, "");
  const count = Number(passedCount.exec(plain)?.[1] ?? "0");
  return count === declared ? result : failed(`${result.output}\nexpected ${declared} passed tests, the runner reports ${count}`);
}

/** How many tests (`it(…)` / `test(…)` calls) a test file declares. */
export const declaredTests = (code: string): number => (code.match(/^\s*(?:it|test)\(/gm) ?? []).length;
export const failed = (output: string): RunResult => ({ ok: false, output });
