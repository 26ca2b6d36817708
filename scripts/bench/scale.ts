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
import { StandInAppServer, lines } from "./standIn.js";

/** How many turns are open in each per-notification measurement. */
export const OPEN_TURNS = [1, 10, 100, 1000] as const;
/** How many threads + turns are open for the heap measurement. */
export const HEAP_TURNS = 1000;
/** The long turn's deltas. */
export const LONG_TURN_DELTAS = 100_000;

/** What the scale worker prints (one JSON line). */
export interface ScaleFigures {
  readonly open?: readonly OpenTurnsFigures[];
  readonly heap?: HeapFigures;
  readonly long?: LongTurnFigures;
}

/** What one "N open turns" measurement gives. */
export interface OpenTurnsFigures {
  readonly openTurns: number;
  /** Client CPU per notification (median of the batches), µs. */
  readonly cpuUsPerNotification: number;
  /** JSON.parse of the same lines, same process, same batches, µs per line. */
  readonly parseUsPerLine: number;
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

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  gc();
  gc();
}

function cpuUs(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
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
async function openTurn(codex: Codex, server: StandInAppServer): Promise<OpenTurn> {
  const thread = await codex.threadStart();
  const turn = await thread.turn("go");
  const open = { thread, turn, result: turn.run() };
  server.emit(lines.turnStarted(thread.id, turn.id));
  server.emit(lines.agentStarted(thread.id, turn.id));
  return open;
}

/** A client on the stand-in with `n` threads, one open turn each (started, agent message begun). */
async function openTurns(n: number): Promise<{ codex: Codex; server: StandInAppServer; turns: OpenTurn[] }> {
  const server = new StandInAppServer();
  const codex = await Codex.start({ transport: server });
  const turns: OpenTurn[] = [];
  for (let i = 0; i < n; i += 1) {
    turns.push(await openTurn(codex, server));
  }
  await settle();
  return { codex, server, turns };
}

/** Ends every turn and checks that each got its `expected` deltas and the whole text. */
async function finish(server: StandInAppServer, turns: readonly OpenTurn[], expected: (i: number) => number): Promise<boolean> {
  let correct = true;
  turns.forEach((t, i) => {
    server.emit(lines.agentCompleted(t.thread.id, t.turn.id, "tok ".repeat(expected(i))));
    server.emit(lines.turnCompleted(t.thread.id, t.turn.id));
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
 * Times `batch` (lines delivered to the client) against JSON.parse of the same lines, `reps` times.
 * The two alternate every {@link CHUNK} lines, so that a busy machine slows both alike.
 */
function timeBatches(server: StandInAppServer, batch: readonly string[], reps: number): { cpu: number; parse: number } {
  const cpu: number[] = [];
  const parse: number[] = [];
  let sink = 0;
  for (let r = 0; r < reps; r += 1) {
    let client = 0;
    let floor = 0;
    for (let start = 0; start < batch.length; start += CHUNK) {
      const end = Math.min(batch.length, start + CHUNK);
      const t0 = process.cpuUsage();
      for (let i = start; i < end; i += 1) server.emit(batch[i] as string);
      client += cpuUs(t0);
      const t1 = process.cpuUsage();
      for (let i = start; i < end; i += 1) sink += (JSON.parse(batch[i] as string) as { params: object }).params === undefined ? 1 : 0;
      floor += cpuUs(t1);
    }
    cpu.push(client / batch.length);
    parse.push(floor / batch.length);
  }
  if (sink !== 0) throw new Error("unreachable");
  return { cpu: median(cpu), parse: median(parse) };
}

/**
 * Client CPU per notification with `n` turns open: `total` deltas spread round robin over the
 * turns, delivered in `reps` timed batches after a warm-up, each batch followed by JSON.parse of
 * the same lines.
 */
export async function measureOpenTurns(n: number, total = 20_000, reps = 5): Promise<OpenTurnsFigures> {
  const { codex, server, turns } = await openTurns(n);
  const batch = Array.from({ length: total }, (_, i) => {
    const t = turns[i % n] as OpenTurn;
    return lines.delta(t.thread.id, t.turn.id);
  });
  // Warm-up: the JIT, zod's compiled parsers, the router's tables.
  for (const line of batch.slice(0, Math.min(total, 5_000))) server.emit(line);
  const warm = Math.min(total, 5_000);
  fullGc();
  const { cpu, parse } = timeBatches(server, batch, reps);
  const perTurn = (i: number): number => {
    const count = (k: number): number => Math.floor(k / n) + (k % n > i ? 1 : 0);
    return count(warm) + reps * count(total);
  };
  const correct = await finish(server, turns, perTurn);
  await codex.close();
  return { openTurns: n, cpuUsPerNotification: cpu, parseUsPerLine: parse, correct };
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
  const server = new StandInAppServer();
  const codex = await Codex.start({ transport: server });
  const thread = await codex.threadStart();
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const turn = await thread.turn("go");
  const result = turn.run();
  server.emit(lines.turnStarted(thread.id, turn.id));
  server.emit(lines.agentStarted(thread.id, turn.id));
  const line = lines.delta(thread.id, turn.id);
  const batch = Array.from({ length: count }, () => line);
  const { cpu, parse } = timeBatches(server, batch, 1);
  server.emit(lines.agentCompleted(thread.id, turn.id, "tok ".repeat(count)));
  server.emit(lines.turnCompleted(thread.id, turn.id));
  const r = await result;
  fullGc();
  const heap = (process.memoryUsage().heapUsed - before) / MiB;
  const replayed = await lastValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta"), toArray()));
  const delivered = replayed.length;
  const correct = r.finalResponse === "tok ".repeat(count) && delivered === count && replayed.every((n) => n.params.delta === "tok ");
  await codex.close();
  return { deltas: count, cpuUsPerNotification: cpu, parseUsPerLine: parse, heapMiB: heap, delivered, correct };
}
