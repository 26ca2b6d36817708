// The bench's small measuring tools, shared by the orchestrator and the measured processes.
import { readFileSync } from "node:fs";

/** Two full collections (the second collects what the first's finalizers let go); needs `--expose-gc`. */
export function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  gc();
  gc();
}

/** CPU (user + system) this process used since `since`, in µs. */
export function cpuUs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

/** The median of `values`; `null` when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Idle and total CPU time of the machine so far (from /proc/stat), or undefined off Linux. */
function cpuTimes(): { idle: number; total: number } | undefined {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { idle, total: fields.reduce((a, b) => a + b, 0) };
  } catch {
    return undefined;
  }
}

/** When {@link waitForQuiet} calls the machine quiet: this share of the CPU idle over one second, or after `maxMs`. */
export const QUIET = { idleShare: 0.9, maxMs: 30_000 } as const;

/**
 * Waits until the machine is quiet ({@link QUIET}). What the real-server groups leave behind
 * (app-servers winding down) would otherwise land in the cache-bound in-process rows.
 *
 * @returns how long it waited and the idle share last seen (null off Linux)
 */
export async function waitForQuiet(): Promise<{ waitedMs: number; idle: number | null }> {
  const start = Date.now();
  for (;;) {
    const a = cpuTimes();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const b = cpuTimes();
    if (a === undefined || b === undefined || b.total === a.total) return { waitedMs: Date.now() - start, idle: null };
    const idle = (b.idle - a.idle) / (b.total - a.total);
    if (idle >= QUIET.idleShare || Date.now() - start >= QUIET.maxMs) return { waitedMs: Date.now() - start, idle };
  }
}
