// The fault-injection suite's shared counters: faults tried, events lost, orphans left.
//
// Jest gives every spec file its own module registry, and with several workers its own process,
// so counters in memory are per file. Each fault spec therefore adds its tally to a small JSON
// file in a directory that belongs to this jest run (keyed by the pid of the jest main process);
// the spec that reports last prints the one-line summary and removes the directory.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isAlive } from "../integration/harness.js";

interface Tally {
  tried: number;
  lost: number;
  orphans: number;
  badInputs: number;
  badInputsSent: number;
}

const tally: Tally = { tried: 0, lost: 0, orphans: 0, badInputs: 0, badInputsSent: 0 };

/**
 * Counts one bad input tried, and how many messages it put on the wire (must be 0).
 *
 * @param written how many messages the attempt wrote to the server
 * @returns `written`
 */
export function badInput(written: number): number {
  tally.badInputs += 1;
  tally.badInputsSent += written;
  return written;
}

/**
 * Counts one fault injected.
 *
 * @param what a short name, for the failure message of a later check
 * @returns the name, so a test can write `const fault = tried("...")`
 */
export function tried(what: string): string {
  tally.tried += 1;
  return what;
}

/**
 * Counts the events a case expected but did not receive (never negative).
 *
 * @param expected how many should have arrived
 * @param received how many did
 * @returns how many were lost
 */
export function lost(expected: number, received: number): number {
  const missing = Math.max(0, expected - received);
  tally.lost += missing;
  return missing;
}

/**
 * Counts a process that is still running after the client gave it up.
 *
 * @param pid the child's pid
 * @returns true when it is an orphan (still alive)
 */
export function orphan(pid: number): boolean {
  // The child, or anything left in its process group (the app-server's own helpers) on POSIX.
  const alive = isAlive(pid) || (process.platform !== "win32" && isAlive(-pid));
  if (alive) tally.orphans += 1;
  return alive;
}

/** Where this jest run's tallies go: the main process's pid (a worker's parent, or this process in band). */
function runDirectory(): string {
  const inWorker = (process.argv[1] ?? "").includes("jest-worker");
  return path.join(os.tmpdir(), `codex-rx-faults-${inWorker ? process.ppid : process.pid}`);
}

/** Drops the tallies of earlier runs that ran only some fault specs (their jest process is gone). */
function removeStaleRuns(): void {
  for (const entry of readdirSync(os.tmpdir())) {
    const match = /^codex-rx-faults-(\d+)$/.exec(entry);
    if (match !== null && !isAlive(Number(match[1]))) rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
}

/**
 * Records this spec file's tally; the last fault spec of the run prints
 * `faults tried: N, events lost: N, orphans: N, bad inputs tried: N, sent to the server: N` (sums
 * over every fault spec) and cleans up.
 * Call it from `afterAll`.
 *
 * @param specUrl `import.meta.url` of the calling spec
 */
export function reportFaults(specUrl: string): void {
  const specFile = fileURLToPath(specUrl);
  const expected = readdirSync(path.dirname(specFile)).filter((f) => f.endsWith(".spec.ts"));
  const dir = runDirectory();
  removeStaleRuns();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, `${path.basename(specFile)}.json`), JSON.stringify(tally));
  const reports = readdirSync(dir).filter((f) => f.endsWith(".json"));
  if (!expected.every((spec) => reports.includes(`${spec}.json`))) return;
  const total: Tally = { tried: 0, lost: 0, orphans: 0, badInputs: 0, badInputsSent: 0 };
  for (const report of reports) {
    const part = JSON.parse(readFileSync(path.join(dir, report), "utf8")) as Tally;
    total.tried += part.tried;
    total.lost += part.lost;
    total.orphans += part.orphans;
    total.badInputs += part.badInputs ?? 0;
    total.badInputsSent += part.badInputsSent ?? 0;
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nfaults tried: ${total.tried}, events lost: ${total.lost}, orphans: ${total.orphans}, ` +
      `bad inputs tried: ${total.badInputs}, sent to the server: ${total.badInputsSent}\n`,
  );
}
