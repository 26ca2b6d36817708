/**
 * The in-process part of the bench's "scale" group, in a fresh `node --expose-gc` process of its
 * own (spawned by scripts/bench.ts, transpiled first): prints one JSON object of figures on stdout.
 * `node --expose-gc scaleWorker.js [open|open=N|heap|long]…` runs only the named parts (for profiling).
 */
import { measureHeapPerTurn, measureLongTurn, measureOpenTurns } from "./scale.js";

/** How many turns are open in each per-notification measurement. */
export const OPEN_TURNS = [1, 10, 100, 1000] as const;

const parts = process.argv.slice(2);
const wants = (part: string): boolean => parts.length === 0 || parts.includes(part);
const only = parts.find((p) => p.startsWith("open="));
const figures: Record<string, unknown> = {};
if (wants("open") || only !== undefined) {
  const out = [];
  for (const n of only === undefined ? OPEN_TURNS : [Number(only.slice(5))]) out.push(await measureOpenTurns(n));
  figures["open"] = out;
}
if (wants("heap")) figures["heap"] = await measureHeapPerTurn(1000);
if (wants("long")) figures["long"] = await measureLongTurn(100_000);
process.stdout.write(`${JSON.stringify(figures)}\n`);
