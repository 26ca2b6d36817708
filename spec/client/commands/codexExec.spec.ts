import { firstValueFrom, lastValueFrom, of, take, timeout, toArray } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { Codex, TransportClosedError, isExecExit, type ExecEvent } from "../../../src/index.js";
import { fakeAppServer } from "../../../src/testing/index.js";

describe("codex.exec / codex.exec$ on the fake app-server", () => {
  it("resolves the exit code and each stream's text; a non-zero exit is data", async () => {
    const server = fakeAppServer();
    server.commands = () => ({ output: [{ data: "h\u00e9" }, { stream: "stderr", data: "warn\n" }, { data: "llo\n" }], exitCode: 3 });
    await using codex = await Codex.start({ transport: server.transport });
    expect(await codex.exec(["sh", "-c", "x"])).toEqual({ exitCode: 3, stdout: "h\u00e9llo\n", stderr: "warn\n" });
    const [request] = server.requests("command/exec");
    expect(request?.params).toMatchObject({ command: ["sh", "-c", "x"], streamStdoutStderr: true, processId: expect.stringMatching(/^exec-/) });
  });

  it("terminates the process when the subscriber unsubscribes before the exit", async () => {
    const server = fakeAppServer();
    server.commands = () => ({ output: [{ data: "tick\n" }], until: "terminate" });
    await using codex = await Codex.start({ transport: server.transport });
    const first = await firstValueFrom(codex.exec$(["tail", "-f", "log"]));
    expect(first).toMatchObject({ stream: "stdout", text: "tick\n" });
    await waitFor(() => [...server.processes.values()][0]?.exitCode !== undefined);
    expect([...server.processes.values()].map((p) => [p.terminated, p.exitCode])).toEqual([[true, 137]]);
  });

  it("writes stdin as it emits and closes it when it completes", async () => {
    const server = fakeAppServer();
    server.commands = () => ({ echoStdin: true, until: "stdinClosed" });
    await using codex = await Codex.start({ transport: server.transport });
    const result = await codex.exec(["cat"], { stdin: of("a", "b\u00e9") });
    expect(result).toEqual({ exitCode: 0, stdout: "ab\u00e9", stderr: "" });
    expect([...server.processes.values()][0]).toMatchObject({ stdin: ["a", "b\u00e9"], stdinClosed: true });
  });

  it("errors every running command with TransportClosedError when the client closes, leaving none running", async () => {
    const server = fakeAppServer();
    server.commands = () => ({ until: "terminate" });
    const codex = await Codex.start({ transport: server.transport });
    const events = lastValueFrom(codex.exec$(["sleep", "99"]).pipe(toArray()));
    await waitFor(() => server.processes.size === 1);
    await codex.close();
    await expect(events).rejects.toBeInstanceOf(TransportClosedError);
    expect([...server.processes.values()].every((p) => p.exitCode !== undefined)).toBe(true);
  });

  it("times out in virtual time: the command is terminated at the deadline", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler });
    server.commands = () => ({ output: [{ data: "1", delayMs: 1_000 }, { data: "2", delayMs: 60_000 }], exitCode: 0 });
    const started = Codex.start({ transport: server.transport, scheduler });
    await server.advance();
    await using codex = await started;
    const seen: ExecEvent[] = [];
    const done = lastValueFrom(codex.exec$(["slow"]).pipe(timeout({ each: 5_000, scheduler }), toArray())).catch((e: unknown) => e);
    codex.exec$(["slow"]).pipe(take(1)).subscribe((e) => seen.push(e));
    await server.advance(10_000);
    expect(await done).toMatchObject({ name: "TimeoutError" });
    expect(seen.filter((e) => !isExecExit(e))).toHaveLength(1);
    await server.advance(10_000);
    expect([...server.processes.values()].map((p) => p.terminated)).toEqual([true, true]);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error("condition not met");
}
