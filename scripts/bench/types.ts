/** What the bench's clients have in common, and the steps the orchestrator and its workers exchange. */

/** The three clients compared, in table order. */
export const CLIENTS = ["raw", "codex-rx", "codex-sdk"] as const;
export type ClientName = (typeof CLIENTS)[number];

/**
 * The groups of scenarios; each (client, group) pair runs in its own fresh process with a fresh
 * CODEX_HOME, except "import", which times fresh processes that only import (scripts/bench/importCost.ts).
 */
export const GROUPS = ["import", "latency", "deltas", "soak", "scale"] as const;
export type GroupName = (typeof GROUPS)[number];

/** What one turn produced, as the client saw it. */
export interface TurnOutcome {
  /** How many `item/agentMessage/delta` notifications reached the caller; null when the client has none. */
  readonly deltas: number | null;
  /** The final answer text. */
  readonly text: string;
}

/** One conversation of a client. */
export interface BenchThread {
  /** Runs one turn to completion. */
  run(prompt: string): Promise<TurnOutcome>;
}

/** A client under test: started once per worker process, closed at its end. */
export interface BenchClient {
  /** Spawns and initializes (a no-op for the SDK, which spawns per turn). */
  start(): Promise<void>;
  /** A new thread (lazy for the SDK: its first `run` creates it). */
  newThread(): Promise<BenchThread>;
  close(): Promise<void>;
}

/** Where the clients find the binary and the fake model. */
export interface BenchEnv {
  readonly codexPath: string;
  readonly codexHome: string;
}

/** How many repetitions each scenario uses; scripts/bench.ts quotes them in its labels. */
export const REPS = {
  newThreadTurn: 5,
  shortTurn: 25,
  sequential: 20,
  concurrent: 8,
  concurrentRounds: 2,
  deltaTurns: 5,
  deltaCount: 10_000,
  soakTurns: 100,
  soakCheckpoint: 10,
  /** The "scale" group: this many turns at once on one client and one app-server, new threads… */
  wide: 100,
  /** …each streaming this many deltas. */
  wideDeltas: 100,
} as const;

/**
 * Fewer repetitions for the SDK, whose every turn spawns `codex exec` (≈ 1.4 s): still a median of
 * at least 10 short turns, all 20 sequential turns and 8 concurrent ones; its 100-turn run is skipped.
 */
export const SDK_REPS = { newThreadTurn: 3, shortTurn: 10, deltaTurns: 1, concurrentRounds: 1 } as const;

/** One step the orchestrator asks a worker to run; the workers of a group take turns step by step. */
export type Step =
  | "start"
  | "warm"
  | "newThreadTurn"
  | "shortTurn"
  | "sequential"
  | "concurrentPrep"
  | "concurrent"
  | "widePrep"
  | "wide"
  | "deltaTurn"
  | "memory"
  | "rss"
  | "close";

/** What a step measured (each step fills in what applies). */
export interface StepResult {
  /** Wall time of the timed work, measured inside the worker. */
  readonly ms?: number;
  /** Client CPU (user + system) during the timed work. */
  readonly cpuMs?: number;
  /** Deltas delivered (null: the client has none). */
  readonly deltas?: number | null;
  /** Whether the answer(s) were the expected text. */
  readonly correct?: boolean;
  /** After a full GC. */
  readonly rssMiB?: number;
  readonly heapMiB?: number;
  /** Peak RSS of the process so far (VmHWM). */
  readonly peakRssMiB?: number;
}

/** orchestrator → worker (over the IPC channel). */
export interface StepRequest {
  readonly id: number;
  readonly step: Step;
}

/** worker → orchestrator. */
export type StepReply =
  | { readonly id: number; readonly ok: true; readonly result: StepResult }
  | { readonly id: number; readonly ok: false; readonly error: string };
