// Fault injection, a slow subscriber: a 100,000-delta turn on the real app-server, consumed by a
// subscriber slower than the server. Nothing may be lost, and the client may hold no more than
// the turn's replay (kept on the TurnHandle by design) plus a bounded amount.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { lastValueFrom, toArray } from "rxjs";
import { Codex, ofMethod, type TurnHandle } from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { codexHomeFor, type CodexHome } from "../../src/testing/index.js";
import { lost, orphan, reportFaults, tried } from "./faultTally.js";
import { gc, since } from "./support.js";

const DELTAS = 100_000;
/** The first SLOW deltas cost the subscriber 300 µs each: ~3,300/s, against the server's ~7,000–9,000/s. */
const SLOW = 10_000;
const SLOW_US = 300;
const MB = 1024 * 1024;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
let fake: ChildProcessWithoutNullStreams;
let home: CodexHome | undefined;
let codex: Codex | undefined;

beforeAll(async () => {
  // The fake Responses server runs in a process of its own: in this process it would hold the
  // 100,000-delta reply body (~20 MB) until the app-server had read it, and that would be measured
  // as the client's memory.
  fake = spawn(process.execPath, ["--import", "tsx", "spec/fixtures/processes/fakeResponsesProcess.ts", String(DELTAS)], { cwd: root });
  fake.stderr.pipe(process.stderr);
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: fake.stdout }).once("line", resolve);
    fake.once("exit", (code) => reject(new Error(`fake Responses process exited with ${code}`)));
  });
  home = await codexHomeFor(url);
  codex = await Codex.start({ env: home.env });
}, 60_000);

afterAll(async () => {
  // Also after a beforeAll that failed half-way: whatever was started is stopped.
  const pid = codex === undefined ? undefined : (codex["rpc"].transport as StdioTransport).pid;
  await codex?.close();
  if (fake.exitCode === null && fake.signalCode === null) {
    const fakeExited = new Promise((resolve) => fake.once("exit", resolve));
    fake.stdin.end();
    await fakeExited;
  }
  await home?.cleanup();
  if (pid !== undefined) expect(orphan(pid)).toBe(false);
  expect(orphan(fake.pid as number)).toBe(false);
  reportFaults(import.meta.url);
});

function spin(microseconds: number): void {
  const end = performance.now() + microseconds / 1000;
  while (performance.now() < end) {
    // A subscriber that does real work per event, synchronously.
  }
}

describe("fault injection: a slow subscriber on a 100,000-delta turn (real app-server)", () => {
  it("loses no delta, and holds only the turn's replay plus a bounded backlog", async () => {
    tried("a subscriber slower than the server on a 100,000-delta turn");
    if (codex === undefined) throw new Error("beforeAll did not start the client");
    const thread = await codex.threadStart({});
    expect((await thread.run("warm up")).finalResponse).toBe("echo: warm up"); // first-turn caches out of the measurement

    gc();
    const heap0 = process.memoryUsage().heapUsed;
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    let turn: TurnHandle | undefined = await thread.turn("flood");
    const samples: { n: number; heap: number }[] = [];
    let n = 0;
    let chars = 0;
    let rssPeak = rss0;
    await new Promise<void>((resolve, reject) => {
      turn?.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe({
        next: (delta) => {
          n += 1;
          chars += delta.params.delta.length;
          if (n <= SLOW) spin(SLOW_US);
          if ((n <= SLOW && n % 2_000 === 0) || n % 10_000 === 0) {
            gc();
            samples.push({ n, heap: process.memoryUsage().heapUsed - heap0 });
            rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
          }
        },
        error: reject,
        complete: resolve,
      });
    });
    const seconds = since(t0) / 1000;

    // No delta lost, none duplicated, none mangled.
    expect(lost(DELTAS, n)).toBe(0);
    expect(n).toBe(DELTAS);
    expect(chars).toBe(DELTAS * "tok ".length);

    // Memory. After the turn, the live heap is the replay: every notification of the turn, kept
    // on the handle by design (~0.22 MB per 1,000 deltas here). While the turn streamed, the live
    // heap at n deltas must be the replay's share for n plus whatever the client held ahead of
    // the subscriber. Delivery is synchronous from the stdout 'data' handler, so a slow subscriber
    // stops the reading: unread output waits in the kernel pipe (64 KiB) and in the server, and
    // the client holds at most the chunk in hand (≤ 64 KiB of lines, < 0.5 MB parsed). Measured
    // excess: ~0.01 MB. The same test run with a transport that decouples reading from delivery
    // (lines queued, one delivered per tick) measured ~21 MB of excess: the whole stream piles
    // up. 3 MB separates the two with room for GC noise.
    gc();
    const replay = process.memoryUsage().heapUsed - heap0;
    const perDelta = replay / DELTAS;
    const excess = Math.max(...samples.map((s) => s.heap - perDelta * s.n));
    expect(replay).toBeLessThan(64 * MB);
    expect(excess).toBeLessThan(3 * MB);
    // RSS, a sanity bound only: the replay, V8's young generation (up to 2 × 16 MB semi-spaces)
    // and allocator slack; queueing the whole raw stream would add ~20 MB of strings on top.
    const rssGrowth = rssPeak - rss0;
    expect(rssGrowth).toBeLessThan(160 * MB);

    // The replay lives and dies with the handle: drop it, and the memory comes back.
    const events = await lastValueFrom(turn.events$.pipe(toArray()));
    expect(events[events.length - 1]?.method).toBe("turn/completed");
    events.length = 0;
    turn = undefined;
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const afterRelease = process.memoryUsage().heapUsed - heap0;
    expect(afterRelease).toBeLessThan(2 * MB);

    // The client is fine: the next turn works.
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
    process.stdout.write(
      `slow subscriber: ${DELTAS} deltas in ${seconds.toFixed(1)} s; replay ${(replay / MB).toFixed(1)} MB; ` +
        `max excess over replay ${(excess / MB).toFixed(2)} MB; RSS +${(rssGrowth / MB).toFixed(0)} MB; after release ${(afterRelease / MB).toFixed(2)} MB\n`,
    );
  }, 120_000);
});
