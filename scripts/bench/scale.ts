/**
 * The bench's "scale" group, in-process (scripts/bench/standIn.ts plays the app-server): what the
 * client itself spends per notification with 1 … 1,000 turns open, the JSON.parse of the same lines
 * measured in the same process as the floor, the heap an open thread + turn holds, and one
 * 100,000-delta turn. Each turn is what `thread.run()` makes: `thread.turn()`, then `turn.run()`
 * (the reduce) waiting for the result, the events kept for replay; after the timed part each
 * turn's replay is read back to check that every delta was delivered, in order.
 */
import { lastValueFrom, toArray } from "rxjs";
import { Codex, ofMethod, type Thread, type TurnHandle, type TurnResult } from "../../src/index.js";
import type { FakeTransport } from "../../src/testing/fakeTransport.js";
import { lines, standInAppServer } from "./standIn.js";
import { cpuUs, fullGc, median } from "./stats.js";

/** How many turns are open in each per-notification measurement. */
export const OPEN_TURNS = [1, 10, 100, 1000] as const;
/** The most open turns measured: the setting the 1-turn client is compared with. */
export const MOST_TURNS = OPEN_TURNS[OPEN_TURNS.length - 1] ?? 1;
/** How many interleaved repetitions of the per-notification measurement (each a batch per client). */
export const OPEN_REPS = 9;
/** Deltas in a row per turn in the "bursts" variant of the 1,000-open-turns measurement. */
export const BURST = 20;
/** How many goals run (each on a thread of its own) in the per-notification measurement with goals. */
export const RUNNING_GOALS = 100;
/** How many threads + turns are open for the heap measurement. */
export const HEAP_TURNS = 1000;
/** The long turn's deltas. */
export const LONG_TURN_DELTAS = 100_000;

/** What the scale worker prints (one JSON line). */
export interface ScaleFigures {
  readonly open?: readonly OpenTurnsFigures[];
  /** 1,000 open turns, {@link BURST} deltas in a row per turn, timed with `open`. */
  readonly bursts?: OpenTurnsFigures;
  /** One open turn with {@link RUNNING_GOALS} goals running on other threads, timed with `open`. */
  readonly goals?: OpenTurnsFigures;
  readonly heap?: HeapFigures;
  readonly long?: LongTurnFigures;
}

/** A distribution over repetitions. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
}

/** What one "N open turns" measurement gives. */
export interface OpenTurnsFigures {
  readonly openTurns: number;
  /** Goals running on other threads of the same client. */
  readonly runningGoals: number;
  /** Deltas in a row per turn (1: round robin, every notification of another turn than the last). */
  readonly burst: number;
  /** Client CPU per notification (median of the batches), µs. */
  readonly cpuUsPerNotification: number;
  /** JSON.parse of the same lines, same process, same batches, µs per line. */
  readonly parseUsPerLine: number;
  /** Per repetition: this client's CPU per notification over the 1-open-turn client's, in the same repetition. */
  readonly vsOneTurn: Spread;
  /** Every delta reached its turn's counter, and every result has the whole text. */
  readonly correct: boolean;
}

export interface HeapFigures {
  readonly openTurns: number;
  /** Heap held per open thread + turn (after `turn/started` and the agent message's `item/started`), KiB. */
  readonly kibPerThreadTurn: number;
}

export interface LongTurnFigures {
  readonly deltas: number;
  readonly cpuUsPerNotification: number;
  readonly parseUsPerLine: number;
  /** Heap held by the finished turn (its replay and result), MiB. */
  readonly heapMiB: number;
  readonly delivered: number;
  readonly correct: boolean;
}

const KiB = 1024;
/** Lines per alternation between the client and the JSON.parse floor. */
const CHUNK = 500;
const MiB = 1024 * 1024;

function spread(values: readonly number[]): Spread {
  return { median: median(values) ?? 0, min: Math.min(...values), max: Math.max(...values), samples: values.length };
}

/** Lets queued microtasks (the stand-in's answers) and the promise continuations run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface OpenTurn {
  readonly thread: Thread;
  readonly turn: TurnHandle;
  readonly result: Promise<TurnResult>;
}

/** A new thread with one open turn (started, agent message begun). */
async function openTurn(codex: Codex, server: FakeTransport): Promise<OpenTurn> {
  const thread = await codex.threadStart();
  const turn = await thread.turn("go");
  const open = { thread, turn, result: turn.run() };
  server.deliver(lines.turnStarted(thread.id, turn.id));
  server.deliver(lines.agentStarted(thread.id, turn.id));
  return open;
}

/**
 * A client on the stand-in with `n` threads, one open turn each (started, agent message begun),
 * and `goals` more threads with a goal running (`thread.runGoal()`, no turn yet).
 */
async function openTurns(n: number, goals = 0): Promise<{ codex: Codex; server: FakeTransport; turns: OpenTurn[] }> {
  const server = standInAppServer();
  const codex = await Codex.start({ transport: server });
  const turns: OpenTurn[] = [];
  for (let i = 0; i < n; i += 1) {
    turns.push(await openTurn(codex, server));
  }
  for (let i = 0; i < goals; i += 1) await (await codex.threadStart()).runGoal("bench");
  await settle();
  return { codex, server, turns };
}

/** Ends every turn and checks that each got its `expected` deltas and the whole text. */
async function finish(server: FakeTransport, turns: readonly OpenTurn[], expected: (i: number) => number): Promise<boolean> {
  let correct = true;
  turns.forEach((t, i) => {
    server.deliver(lines.agentCompleted(t.thread.id, t.turn.id, "tok ".repeat(expected(i))));
    server.deliver(lines.turnCompleted(t.thread.id, t.turn.id));
  });
  const results = await Promise.all(turns.map((t) => t.result));
  for (const [i, r] of results.entries()) {
    const want = expected(i);
    const turn = turns[i]?.turn;
    const replayed = turn === undefined ? [] : await lastValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta"), toArray()));
    const text = replayed.map((n) => n.params.delta).join("");
    if (replayed.length !== want || text !== "tok ".repeat(want) || r.finalResponse !== text || r.status !== "completed") correct = false;
  }
  return correct;
}

/**
 * Times one pass of `batch` (lines delivered to the client) against JSON.parse of the same lines.
 * The two alternate every {@link CHUNK} lines, so that a busy machine slows both alike.
 */
function timeBatch(server: FakeTransport, batch: readonly string[]): { cpu: number; parse: number } {
  let sink = 0;
  let client = 0;
  let floor = 0;
  for (let start = 0; start < batch.length; start += CHUNK) {
    const end = Math.min(batch.length, start + CHUNK);
    const t0 = process.cpuUsage();
    for (let i = start; i < end; i += 1) server.deliver(batch[i] as string);
    client += cpuUs(t0);
    const t1 = process.cpuUsage();
    for (let i = start; i < end; i += 1) sink += (JSON.parse(batch[i] as string) as { params: object }).params === undefined ? 1 : 0;
    floor += cpuUs(t1);
  }
  if (sink !== 0) throw new Error("unreachable");
  return { cpu: client / batch.length, parse: floor / batch.length };
}

/** One setting of the per-notification measurement. */
export interface Setting {
  readonly openTurns: number;
  readonly runningGoals: number;
  readonly burst: number;
}

/** One client of the per-notification measurement, its deltas, and its samples. */
interface Rig extends Setting {
  readonly codex: Codex;
  readonly server: FakeTransport;
  readonly turns: OpenTurn[];
  readonly batch: readonly string[];
  /** Which turn each line of the batch is of. */
  readonly of: readonly number[];
  readonly cpu: number[];
  readonly parse: number[];
}

/**
 * Client CPU per notification with 1 … N turns open (and one open turn with goals running): one
 * client per setting, all in this process, `total` deltas per batch spread round robin over each
 * client's turns (`burst` in a row per turn; 1 is the worst case for caches: every notification is
 * of another turn than the one before). After a
 * warm-up, `reps` repetitions, each timing one batch per client in a rotating order, so that load
 * and heap growth hit every client alike; each client's figure is the median of its batches, and
 * its ratio to the 1-turn client is taken per repetition (paired), then reported as a spread.
 */
export async function measureOpenTurns(settings: readonly Setting[], total = 20_000, reps = OPEN_REPS): Promise<OpenTurnsFigures[]> {
  const rigs: Rig[] = [];
  for (const setting of settings) {
    const { codex, server, turns } = await openTurns(setting.openTurns, setting.runningGoals);
    const of = Array.from({ length: total }, (_, i) => Math.floor(i / setting.burst) % setting.openTurns);
    const batch = of.map((k) => {
      const t = turns[k] as OpenTurn;
      return lines.delta(t.thread.id, t.turn.id);
    });
    rigs.push({ ...setting, codex, server, turns, batch, of, cpu: [], parse: [] });
  }
  // Warm-up: the JIT, zod's compiled parsers, the router's tables.
  const warm = Math.min(total, 5_000);
  for (const rig of rigs) for (const line of rig.batch.slice(0, warm)) rig.server.deliver(line);
  fullGc();
  for (let r = 0; r < reps; r += 1) {
    for (let k = 0; k < rigs.length; k += 1) {
      const rig = rigs[(r + k) % rigs.length] as Rig;
      const { cpu, parse } = timeBatch(rig.server, rig.batch);
      rig.cpu.push(cpu);
      rig.parse.push(parse);
    }
  }
  const one = rigs.find((rig) => rig.openTurns === 1 && rig.runningGoals === 0);
  const out: OpenTurnsFigures[] = [];
  for (const rig of rigs) {
    const counts = rig.turns.map(() => 0);
    rig.of.forEach((k, i) => (counts[k] = (counts[k] ?? 0) + reps + (i < warm ? 1 : 0)));
    const correct = await finish(rig.server, rig.turns, (i) => counts[i] ?? 0);
    await rig.codex.close();
    const vsOne = one === undefined ? [] : rig.cpu.map((c, r) => c / (one.cpu[r] ?? Number.NaN));
    const { openTurns: n, runningGoals, burst } = rig;
    out.push({ openTurns: n, runningGoals, burst, cpuUsPerNotification: median(rig.cpu) ?? 0, parseUsPerLine: median(rig.parse) ?? 0, vsOneTurn: spread(vsOne), correct });
  }
  return out;
}

/**
 * Heap per open thread + turn: `n` of them opened on one client, on top of 200 already open, each
 * level measured after a full GC (the slope: what the client holds once, and floating garbage,
 * cancel out).
 */
export async function measureHeapPerTurn(n: number): Promise<HeapFigures> {
  const { codex, server, turns: first } = await openTurns(200);
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const turns: OpenTurn[] = [];
  for (let i = 0; i < n; i += 1) turns.push(await openTurn(codex, server));
  await settle();
  fullGc();
  const after = process.memoryUsage().heapUsed;
  await finish(server, [...first, ...turns], () => 0);
  await codex.close();
  return { openTurns: n, kibPerThreadTurn: (after - before) / n / KiB };
}

/** One turn of `count` deltas: CPU per notification vs JSON.parse, and the heap the finished turn holds. */
export async function measureLongTurn(count = 100_000): Promise<LongTurnFigures> {
  const server = standInAppServer();
  const codex = await Codex.start({ transport: server });
  const thread = await codex.threadStart();
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const turn = await thread.turn("go");
  const result = turn.run();
  server.deliver(lines.turnStarted(thread.id, turn.id));
  server.deliver(lines.agentStarted(thread.id, turn.id));
  const line = lines.delta(thread.id, turn.id);
  const batch = Array.from({ length: count }, () => line);
  const { cpu, parse } = timeBatch(server, batch);
  server.deliver(lines.agentCompleted(thread.id, turn.id, "tok ".repeat(count)));
  server.deliver(lines.turnCompleted(thread.id, turn.id));
  const r = await result;
  fullGc();
  const heap = (process.memoryUsage().heapUsed - before) / MiB;
  const replayed = await lastValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta"), toArray()));
  const delivered = replayed.length;
  const correct = r.finalResponse === "tok ".repeat(count) && delivered === count && replayed.every((n) => n.params.delta === "tok ");
  await codex.close();
  return { deltas: count, cpuUsPerNotification: cpu, parseUsPerLine: parse, heapMiB: heap, delivered, correct };
}
