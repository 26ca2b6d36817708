/**
 * The in-process part of the bench's "scale" group, in a fresh `node --expose-gc` process of its
 * own (spawned by scripts/bench.ts, transpiled first): prints one JSON line of {@link ScaleFigures}.
 * `node --expose-gc scaleWorker.js [open|open=N|heap|long]…` runs only the named parts (for profiling).
 */
import { HEAP_TURNS, LONG_TURN_DELTAS, OPEN_TURNS, measureHeapPerTurn, measureLongTurn, measureOpenTurns, type OpenTurnsFigures, type ScaleFigures } from "./scale.js";

const parts = process.argv.slice(2);
const wants = (part: string): boolean => parts.length === 0 || parts.includes(part);
const only = parts.find((p) => p.startsWith("open="));
const repsArg = parts.find((p) => p.startsWith("reps="));
const reps = repsArg === undefined ? undefined : Number(repsArg.slice(5));
let open: OpenTurnsFigures[] | undefined;
if (wants("open") || only !== undefined) {
  open = [];
  for (const n of only === undefined ? OPEN_TURNS : [Number(only.slice(5))]) open.push(await measureOpenTurns(n, undefined, reps));
}
const figures: ScaleFigures = {
  ...(open === undefined ? {} : { open }),
  ...(wants("heap") ? { heap: await measureHeapPerTurn(HEAP_TURNS) } : {}),
  ...(wants("long") ? { long: await measureLongTurn(LONG_TURN_DELTAS) } : {}),
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
