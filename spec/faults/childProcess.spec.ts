// Fault injection, the one child-process owner (src/transport/ChildProcess.ts) as the stdio
// transport and the test kit's WebSocket server use it: a server that dies or ignores SIGTERM takes
// the helpers it started (its process group) with it, and a binary that cannot start fails typed.
import { StdioTransport } from "../../src/advanced.js";
import { startWebSocketAppServer } from "../../src/testing/index.js";
import { ChildProcess } from "../../src/transport/ChildProcess.js";
import { isAlive } from "../integration/harness.js";
import { orphan, reportFaults, tried } from "./faultTally.js";
import { standIn } from "./support.js";

afterAll(() => reportFaults(import.meta.url));

/** Resolves with the pid the listener stand-in reports for its helper (`helper: PID` on stderr). */
async function helperPid(stderrTail: () => string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const match = /helper: (\d+)/.exec(stderrTail());
    if (match !== null) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the stand-in never reported its helper; stderr: ${stderrTail()}`);
}

/** True once `pid` is gone (a killed helper may take a moment to be reaped). */
async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return !isAlive(pid);
}

describe("fault injection: child processes and their process groups", () => {
  it("the stdio transport's SIGKILLed server takes its helper with it", async () => {
    tried("stdio: the server is SIGKILLed while its helper runs");
    const transport = new StdioTransport({ codexPath: standIn("listener") });
    const ended = new Promise<unknown>((resolve) => transport.messages$.subscribe({ error: resolve, complete: () => resolve(undefined) }));
    await transport.connect();
    const helper = await helperPid(() => transport.stderrTail());
    expect(isAlive(helper)).toBe(true);
    process.kill(transport.pid as number, "SIGKILL");
    expect(await ended).toMatchObject({ signal: "SIGKILL", reason: "process exited" });
    expect(await gone(helper)).toBe(true);
    expect(orphan(transport.pid as number)).toBe(false);
    await transport.close();
  });

  it("the kit's WebSocket server runs in its own group: a SIGKILLed server takes its helper with it", async () => {
    tried("kit: the WebSocket server is SIGKILLed while its helper runs");
    const server = await startWebSocketAppServer({ codexPath: standIn("listener") });
    try {
      const helper = await helperPid(() => server.stderrTail());
      expect(isAlive(helper)).toBe(true);
      server.kill("SIGKILL");
      expect(await gone(server.pid)).toBe(true);
      expect(server.running).toBe(false);
      expect(await gone(helper)).toBe(true);
      expect(orphan(server.pid)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it("the kit's close() escalates SIGTERM to SIGKILL on a server that ignores SIGTERM, and ends its group", async () => {
    tried("kit: close() on a server that ignores SIGTERM");
    const server = await startWebSocketAppServer({ codexPath: standIn("listener"), env: { CODEX_RX_FAULT: "stubborn" } });
    const helper = await helperPid(() => server.stderrTail());
    const t0 = performance.now();
    await server.close();
    const ms = performance.now() - t0;
    // SIGTERM to the group ends the helper at once; the server ignores it until SIGKILL 2 s later.
    expect(server.stderrTail()).toContain("listener: ignoring SIGTERM");
    expect(ms).toBeGreaterThanOrEqual(1900);
    expect(ms).toBeLessThan(4000);
    expect(server.running).toBe(false);
    expect(await gone(helper)).toBe(true);
    expect(orphan(server.pid)).toBe(false);
  });

  it("reports a binary that cannot start on `exited` and rejects `spawned`, without throwing", async () => {
    tried("a binary that does not exist");
    const child = new ChildProcess("/nonexistent/codex-rx-no-such-binary", { args: [], pipeStdio: true });
    await expect(child.spawned).rejects.toMatchObject({ code: "ENOENT" });
    const exit = await child.exited;
    expect(exit.spawnError?.code).toBe("ENOENT");
    expect(child.running).toBe(false);
    expect(await child.stop(10)).toBe(exit);
  });

  it("keeps only the last stderrTailBytes of stderr", async () => {
    const child = new ChildProcess("sh", { args: ["-c", "printf 'abcdefghij' >&2"], pipeStdio: false, stderrTailBytes: 4 });
    const exit = await child.exited;
    expect(exit).toEqual({ exitCode: 0, signal: null });
    expect(child.stderrTail()).toBe("ghij");
  });
});
