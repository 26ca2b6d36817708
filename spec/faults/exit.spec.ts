// Fault injection, the process dies: it exits by itself (stand-in, exit code 7 and a panic on
// stderr), or the real app-server is SIGKILLed / SIGTERMed mid-turn. Every pending request and
// every open turn stream must fail with TransportClosedError within 1 s, later calls must fail
// fast, and the child must be gone.
import { readFile } from "node:fs/promises";
import { firstValueFrom, lastValueFrom, tap, toArray } from "rxjs";
import {
  Codex,
  TransportClosedError,
  forTurn,
  ofMethod,
  untilTurnCompleted,
  type Notification,
  type Thread,
  type TurnHandle,
} from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { reply } from "../../src/testing/index.js";
import { createHarness, type Harness } from "../integration/harness.js";
import { lost, orphan, reportFaults, tried } from "./faultTally.js";
import { since, standIn } from "./support.js";

/** Settles every promise and says how long the slowest took, from `t0`. */
async function settleAll(promises: readonly Promise<unknown>[], t0: number): Promise<{ errors: unknown[]; ms: number }> {
  const settled = await Promise.allSettled(promises);
  const ms = since(t0);
  return { errors: settled.map((s) => (s.status === "rejected" ? s.reason : new Error(`resolved: ${JSON.stringify(s.value)}`))), ms };
}

/** Resolves once the process is in the stopped state (Linux: `T` in /proc/PID/stat). */
async function stopped(pid: number): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    if (/\) T /.test(stat) || stat === "") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`process ${pid} did not stop`);
}

/** Calls made after the wire is gone must fail at once, with the same typed error. */
async function expectLaterCallsFailFast(codex: Codex, thread: Thread | undefined): Promise<void> {
  const t0 = performance.now();
  const later = await settleAll(
    [codex.request("model/list", {}), codex.threadStart({}), ...(thread === undefined ? [] : [thread.run("after the crash")])],
    t0,
  );
  expect(later.errors.every((e) => e instanceof TransportClosedError)).toBe(true);
  expect(later.ms).toBeLessThan(50);
}

afterAll(() => reportFaults(import.meta.url));

describe("fault injection: the process exits mid-stream (stand-in)", () => {
  it("fails every pending request and the open stream with TransportClosedError carrying exit code 7 and the stderr tail", async () => {
    const transport = new StdioTransport({ codexPath: standIn("hostile"), env: { CODEX_RX_FAULT: "exit" } });
    const codex = await Codex.start({ transport });
    const pid = transport.pid as number;
    tried("the process exits (code 7) with requests pending and a stream open");

    const deltas: Notification[] = [];
    const stream = lastValueFrom(codex.notifications$.pipe(forTurn("t-1"), untilTurnCompleted("t-1"), tap((n) => deltas.push(n))));
    const pending = [1, 2, 3, 4, 5].map((limit) => codex.request("model/list", { limit })); // never answered
    const t0 = performance.now();
    // thread/archive makes the stand-in stream three deltas of turn t-1, panic on stderr and exit 7.
    const trigger = codex.request("thread/archive", { threadId: "th-1" });
    const { errors, ms } = await settleAll([...pending, trigger, stream], t0);

    expect(errors).toHaveLength(7);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TransportClosedError);
      expect(error).toMatchObject({ exitCode: 7, signal: null, reason: "process exited" });
      expect((error as TransportClosedError).stderrTail).toContain("panicked at 'fault injected by hostile.mjs'");
    }
    expect(ms).toBeLessThan(1000);
    // What arrived before the exit was delivered.
    expect(lost(3, deltas.length)).toBe(0);
    await expectLaterCallsFailFast(codex, undefined);
    expect(codex["rpc"]["pending"].size).toBe(0);
    expect(orphan(pid)).toBe(false);
    await codex.close(); // idempotent after a crash
  });
});

describe("fault injection: the real app-server dies mid-turn", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await createHarness();
  });

  afterAll(async () => {
    await h.dispose();
  });

  /**
   * Starts a client with three turns streaming and hanging (the fake model never finishes them),
   * and subscribes to each turn's events$ and result.
   */
  async function threeOpenTurns(): Promise<{ codex: Codex; pid: number; threads: Thread[]; turns: TurnHandle[]; streams: Promise<unknown>[] }> {
    const codex = await h.start();
    const pid = (codex["rpc"].transport as StdioTransport).pid as number;
    const threads = await Promise.all([1, 2, 3].map(() => codex.threadStart({ cwd: h.cwd })));
    const before = h.fake.requests.length;
    h.fake.enqueue(reply.hang({ text: "partial " }), reply.hang({ text: "partial " }), reply.hang({ text: "partial " }));
    const turns = await Promise.all(threads.map((thread, i) => thread.turn(`hang ${i}`)));
    await h.fake.waitForRequests(before + 3);
    // Each turn is streaming: its first delta has arrived.
    await Promise.all(turns.map((turn) => firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")))));
    const streams = turns.flatMap((turn) => [lastValueFrom(turn.events$.pipe(toArray())), turn.run()]);
    return { codex, pid, threads, turns, streams };
  }

  it("fails every open turn stream and pending request with TransportClosedError (SIGKILL) within 1 s, leaving no orphan", async () => {
    const { codex, pid, threads, streams } = await threeOpenTurns();
    tried("SIGKILL mid-turn: 3 open turns, 3 pending requests");
    // The server is stopped (SIGSTOP) before the three requests are written, so they are certainly
    // still pending when SIGKILL lands: on a busy machine a running server answered one of them in
    // the moment between the write and the kill.
    process.kill(pid, "SIGSTOP");
    await stopped(pid);
    const pending = [codex.threadResume(threads[0]?.id as string), codex.threadStart({ cwd: h.cwd }), codex.threadStart({ cwd: h.cwd })];
    const t0 = performance.now();
    process.kill(pid, "SIGKILL");
    const { errors, ms } = await settleAll([...streams, ...pending], t0);

    expect(errors).toHaveLength(9);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TransportClosedError);
      expect(error).toMatchObject({ signal: "SIGKILL", exitCode: null, reason: "process exited" });
      expect(typeof (error as TransportClosedError).stderrTail).toBe("string");
    }
    expect(ms).toBeLessThan(1000);
    await expectLaterCallsFailFast(codex, threads[0]);
    expect(codex["rpc"]["pending"].size).toBe(0);
    // Our child is gone, and so is its process group: the app-server's own helper shell (a
    // `bash -lc` snapshot) would otherwise be re-parented to init and linger for seconds.
    expect(orphan(pid)).toBe(false);
  });

  it("fails every open turn stream with TransportClosedError when the process is terminated (SIGTERM)", async () => {
    const { codex, pid, threads, streams } = await threeOpenTurns();
    tried("SIGTERM mid-turn: 3 open turns");
    // The app-server handles SIGTERM: it shuts down cleanly (exit code 0), which takes it ~0.4 s
    // here. That is the server's time; the client's 1 s starts when the process has exited.
    const child = (codex["rpc"].transport as StdioTransport)["child"];
    let exitedAt = Number.NaN;
    child?.process.once("exit", () => (exitedAt = performance.now()));
    const t0 = performance.now();
    process.kill(pid, "SIGTERM");
    const { errors, ms } = await settleAll(streams, t0);
    expect(performance.now() - exitedAt).toBeLessThan(1000);

    expect(errors).toHaveLength(6);
    for (const error of errors) {
      expect(error).toBeInstanceOf(TransportClosedError);
      expect((error as TransportClosedError).reason).toBe("process exited");
      // Ended by the signal, or by an exit code if the server handled it: either way, one of the two.
      const { exitCode, signal } = error as TransportClosedError;
      expect(signal === "SIGTERM" || exitCode !== null).toBe(true);
    }
    expect(ms).toBeLessThan(5000);
    await expectLaterCallsFailFast(codex, threads[1]);
    expect(orphan(pid)).toBe(false);
  });
});
