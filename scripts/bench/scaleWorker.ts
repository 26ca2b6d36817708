/**
 * The in-process part of the bench's "scale" group, in a fresh `node --expose-gc` process of its
 * own (spawned by scripts/bench.ts, transpiled first): prints one JSON line of {@link ScaleFigures}.
 * `node --expose-gc scaleWorker.js [open|open=N|bursts|goals|heap|long|reps=N]…` runs only the named parts
 * (for profiling); `open=N` may be given more than once (the 1-turn client is always measured too).
 */
import { BURST, HEAP_TURNS, LONG_TURN_DELTAS, MOST_TURNS, OPEN_REPS, OPEN_TURNS, RUNNING_GOALS, measureHeapPerTurn, measureLongTurn, measureOpenTurns, type ScaleFigures, type Setting } from "./scale.js";

const parts = process.argv.slice(2);
const wants = (part: string): boolean => parts.length === 0 || parts.includes(part);
const only = parts.filter((p) => p.startsWith("open=")).map((p) => Number(p.slice(5)));
const repsArg = parts.find((p) => p.startsWith("reps="));
const reps = repsArg === undefined ? OPEN_REPS : Number(repsArg.slice(5));
const turns = only.length === 0 ? (wants("open") ? [...OPEN_TURNS] : []) : [...new Set([1, ...only])];
const settings: Setting[] = [
  ...turns.map((openTurns) => ({ openTurns, runningGoals: 0, burst: 1 })),
  ...(wants("bursts") ? [{ openTurns: MOST_TURNS, runningGoals: 0, burst: BURST }] : []),
  ...(wants("goals") ? [{ openTurns: 1, runningGoals: RUNNING_GOALS, burst: 1 }] : []),
];
if (settings.length > 0 && !turns.includes(1)) settings.unshift({ openTurns: 1, runningGoals: 0, burst: 1 });
const measured = settings.length === 0 ? [] : await measureOpenTurns(settings, undefined, reps);
const open = measured.filter((f) => f.runningGoals === 0 && f.burst === 1 && turns.includes(f.openTurns));
const bursts = measured.find((f) => f.burst > 1);
const goals = measured.find((f) => f.runningGoals > 0);
const figures: ScaleFigures = {
  ...(open.length === 0 ? {} : { open }),
  ...(bursts === undefined ? {} : { bursts }),
  ...(goals === undefined ? {} : { goals }),
  ...(wants("heap") ? { heap: await measureHeapPerTurn(HEAP_TURNS) } : {}),
  ...(wants("long") ? { long: await measureLongTurn(LONG_TURN_DELTAS) } : {}),
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
