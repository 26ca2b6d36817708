/**
 * One measuring process: `node --expose-gc worker.js CLIENT CODEX_PATH CODEX_HOME` (the copy that
 * scripts/bench.ts transpiled to plain JS), driven step by step over its IPC channel. It loads only its own
 * client (so raw's memory holds no zod and no rxjs) and times each step from the inside, so the
 * IPC round trip is never counted. The workers of one group take turns, step by step, so that
 * every client sees the same machine load.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { cpuUs, fullGc } from "./stats.js";
import { CLIENTS, REPS, type BenchClient, type BenchEnv, type BenchThread, type ClientName, type Step, type StepReply, type StepRequest, type StepResult } from "./types.js";

const SHORT_PROMPT = "Say ok.";
const MiB = 1024 * 1024;

function cpuMs(since: NodeJS.CpuUsage): number {
  return cpuUs(since) / 1000;
}

/**
 * Peak resident set size of this process, in MiB: `VmHWM` from /proc/self/status on Linux. Not
 * `process.resourceUsage().maxRSS`: getrusage keeps its maximum across exec, so a child spawned by a
 * bigger parent reports the parent's size.
 */
function peakRssMiB(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"));
    if (match?.[1] !== undefined) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `work`, timing wall and CPU from the inside. */
async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, cpuMs: cpuMs(cpu), value };
}

async function createClient(name: ClientName, env: BenchEnv): Promise<BenchClient> {
  switch (name) {
    case "raw":
      return new (await import("./rawClient.js")).RawClient(env);
    case "codex-rx":
      return new (await import("./rxClient.js")).RxClient(env);
    case "codex-sdk":
      return new (await import("./sdkClient.js")).SdkClient(env);
  }
}

class Worker {
  private main: BenchThread | undefined;
  private parallel: readonly BenchThread[] = [];
  private wideThreads: readonly BenchThread[] = [];

  constructor(private readonly client: BenchClient) {}

  async run(step: Step): Promise<StepResult> {
    switch (step) {
      case "start":
        return measure(() => this.client.start());
      case "warm": {
        // A first thread and turn warm the server up (lazy initialisation, caches); never timed.
        this.main = await this.client.newThread();
        await this.main.run(SHORT_PROMPT);
        return {};
      }
      case "newThreadTurn": {
        const turn = await measure(async () => (await this.client.newThread()).run(SHORT_PROMPT));
        return { ms: turn.ms, cpuMs: turn.cpuMs, correct: turn.value.text === "ok" };
      }
      case "shortTurn": {
        const turn = await measure(() => this.thread().run(SHORT_PROMPT));
        return { ms: turn.ms, cpuMs: turn.cpuMs, correct: turn.value.text === "ok" };
      }
      case "sequential": {
        const thread = this.thread();
        const all = await measure(async () => {
          let correct = true;
          for (let i = 0; i < REPS.sequential; i += 1) correct = (await thread.run(SHORT_PROMPT)).text === "ok" && correct;
          return correct;
        });
        return { ms: all.ms, cpuMs: all.cpuMs, correct: all.value };
      }
      case "concurrentPrep":
        this.parallel = await Promise.all(Array.from({ length: REPS.concurrent }, () => this.client.newThread()));
        return {};
      case "concurrent": {
        const all = await measure(() => Promise.all(this.parallel.map((t) => t.run(SHORT_PROMPT))));
        return { ms: all.ms, cpuMs: all.cpuMs, correct: all.value.every((o) => o.text === "ok") };
      }
      case "widePrep":
        this.wideThreads = await Promise.all(Array.from({ length: REPS.wide }, () => this.client.newThread()));
        return {};
      case "wide": {
        // Every turn at once on one client: all must complete with every one of their deltas.
        const all = await measure(() => Promise.all(this.wideThreads.map((t) => t.run(`BENCH_DELTAS=${REPS.wideDeltas}`))));
        const expected = "tok ".repeat(REPS.wideDeltas).trim();
        const deltas = all.value.reduce((sum, o) => sum + (o.deltas ?? 0), 0);
        const correct = all.value.length === REPS.wide && all.value.every((o) => o.text.trim() === expected && o.deltas === REPS.wideDeltas);
        return { ms: all.ms, cpuMs: all.cpuMs, deltas, correct };
      }
      case "deltaTurn": {
        const turn = await measure(() => this.thread().run(`BENCH_DELTAS=${REPS.deltaCount}`));
        const expected = "tok ".repeat(REPS.deltaCount).trim();
        const result: StepResult = { ms: turn.ms, cpuMs: turn.cpuMs, deltas: turn.value.deltas, correct: turn.value.text.trim() === expected };
        fullGc();
        return result;
      }
      case "rss":
        // No GC first: a forced full GC here would change what the next steps measure.
        return { rssMiB: process.memoryUsage().rss / MiB };
      case "memory": {
        fullGc();
        const memory = process.memoryUsage();
        return { rssMiB: memory.rss / MiB, heapMiB: memory.heapUsed / MiB, peakRssMiB: peakRssMiB() };
      }
      case "close":
        await this.client.close();
        return {};
    }
  }

  private thread(): BenchThread {
    if (this.main === undefined) throw new Error("step 'warm' must come first");
    return this.main;
  }
}

function isStepRequest(message: unknown): message is StepRequest {
  return typeof message === "object" && message !== null && "id" in message && "step" in message;
}

async function main(): Promise<void> {
  const [clientArg, codexPath, codexHome] = process.argv.slice(2);
  const name = CLIENTS.find((c) => c === clientArg);
  const send = process.send?.bind(process);
  if (name === undefined || codexPath === undefined || codexHome === undefined || send === undefined) {
    throw new Error(`usage (with an IPC channel): worker.ts <${CLIENTS.join("|")}> CODEX_PATH CODEX_HOME`);
  }
  const client = await createClient(name, { codexPath, codexHome });
  const worker = new Worker(client);
  // The orchestrator went away (or said "close" and let go): end the client, then this process.
  process.once("disconnect", () => {
    void client.close().finally(() => process.exit(0));
  });
  process.on("message", (message: unknown) => {
    if (!isStepRequest(message)) return;
    const { id, step } = message;
    worker.run(step).then(
      (result) => {
        const reply: StepReply = { id, ok: true, result };
        send(reply, undefined, undefined, () => {
          if (step === "close") process.disconnect();
        });
      },
      (error: unknown) => {
        const reply: StepReply = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
        send(reply);
      },
    );
  });
  const ready: StepReply = { id: 0, ok: true, result: {} };
  send(ready);
}

await main();
