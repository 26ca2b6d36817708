import { readFileSync } from "node:fs";
import { filter, firstValueFrom } from "rxjs";
import { Codex, ServerBusyError, isNotification, ofMethod, type ProtocolError } from "../../src/index.js";
import { InvalidRequestError, MethodNotFoundError } from "../../src/index.js";
import { commandExecution, errorNotification, fakeAppServer, turnStep, type FakeAppServer, type FakeAppServerOptions } from "../../src/testing/index.js";
import { checkWire, wireOrder, type CheckedLine } from "../helpers/fakeWire.js";

const recorded = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8");

interface Session {
  readonly server: FakeAppServer;
  readonly codex: Codex;
  readonly wire: CheckedLine[];
  readonly protocolErrors: ProtocolError[];
}

async function session(options: FakeAppServerOptions = {}, approvals = true): Promise<Session> {
  const server = fakeAppServer(options);
  const wire = checkWire(server);
  const codex = await Codex.start({
    transport: server.transport,
    ...(approvals ? { approvals: { "item/commandExecution/requestApproval": () => ({ decision: "accept" as const }) } } : {}),
  });
  const protocolErrors: ProtocolError[] = [];
  codex.protocolErrors$.subscribe((e) => protocolErrors.push(e));
  return { server, codex, wire, protocolErrors };
}

let open: Session[] = [];
async function start(options?: FakeAppServerOptions, approvals?: boolean): Promise<Session> {
  const s = await session(options, approvals);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.map((s) => s.codex.close()));
  open = [];
});

describe("fakeAppServer", () => {
  it("answers the handshake like the real server: initialize result, then the client's initialized", async () => {
    const { server, codex, wire } = await start();
    expect(codex.metadata.userAgent).toMatch(/^codex_rx\/0\.\d+\.\d+ /);
    expect(codex.metadata).toMatchObject({ platformFamily: "unix", platformOs: "linux" });
    expect(wire[0]).toMatchObject({ kind: "response", method: "initialize", issue: null });
    await new Promise((r) => setImmediate(r));
    expect(server.received.map((m) => (m as { method: string }).method)).toEqual(["initialize", "initialized"]);
    await expect(codex.request("initialize", { clientInfo: { name: "x", version: "1" } })).rejects.toThrow(InvalidRequestError);
  });

  it("sends only messages that match the generated schemas, through every scripted path", async () => {
    const { server, codex, wire, protocolErrors } = await start();
    const thread = await codex.threadStart({ cwd: "/repo" });
    await thread.run("hello");
    server.enqueue(
      { steps: [turnStep.approval("make test"), turnStep.error("Reconnecting... 1/5"), turnStep.item(commandExecution("c1", "ls", "completed"))], text: "ok", phase: "final_answer" },
      { status: "failed", error: "model refused" },
      { status: "interrupted", text: "stopped" },
    );
    await thread.run("approve");
    await expect(thread.run("fail")).rejects.toThrow(/model refused/);
    await thread.run("interrupted");
    server.enqueue({ hang: true });
    const hanging = await thread.turn("hang");
    await hanging.steer("more");
    await hanging.interrupt();
    await hanging.run();
    await thread.read({ includeTurns: true });
    await thread.setName("named");
    await codex.threadResume(thread.id);
    await codex.threadFork(thread.id);
    await codex.threadList({ limit: 1 });
    await codex.threadArchive(thread.id);
    await codex.threadUnarchive(thread.id);
    await codex.models();
    await codex.loginApiKey("sk-test");
    await codex.account();
    const login = await codex.loginChatgpt();
    await login.cancel();
    const device = await codex.loginChatgptDeviceCode();
    server.completeLogin();
    await device.wait();
    await codex.logout();
    expect(wire.filter((l) => l.issue !== null)).toEqual([]);
    expect(protocolErrors).toEqual([]);
    expect(new Set(wire.map((l) => l.method)).size).toBeGreaterThan(25);
  });

  it("streams an echo turn in the recorded order of the real server", async () => {
    const { codex, wire } = await start();
    const thread = await codex.threadStart();
    const before = wire.length;
    await thread.run("hello DELTAS=20");
    const fromStart = (lines: readonly { readonly kind: string; readonly method: string }[]): string[] => {
      const order = wireOrder(lines);
      return order.slice(order.indexOf("response:turn/start"), order.indexOf("turn/completed") + 1);
    };
    const real = recorded
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { id?: number; method?: string })
      .filter((m) => m.method !== "warning")
      .map((m) => (m.method === undefined ? { kind: "response", method: m.id === 3 ? "turn/start" : "other" } : { kind: "notification", method: m.method }));
    expect(fromStart(wire.slice(before))).toEqual(fromStart(real));
  });

  // Orders measured on the real 0.169.0 binary with the fake model (recorded while building the fake).
  it("ends failed, interrupted, approved and steered turns in the orders measured on the real server", async () => {
    const { server, codex, wire } = await start();
    const thread = await codex.threadStart();
    const orderOf = async (run: () => Promise<unknown>): Promise<string[]> => {
      const before = wire.length;
      await run().catch(() => undefined);
      // The client's one account check before its first turn is not part of the turn's order.
      return wireOrder(wire.slice(before)).filter((m) => !m.startsWith("response:turn/start") && m !== "response:account/read");
    };
    server.enqueue({ status: "failed" });
    expect(await orderOf(() => thread.run("fail"))).toEqual([
      "thread/status/changed",
      "turn/started",
      "item/started",
      "item/completed",
      "thread/status/changed",
      "error",
      "turn/completed",
    ]);
    server.enqueue({ hang: true, text: "partial" });
    const hanging = await thread.turn("hang");
    expect((await orderOf(async () => (await hanging.interrupt(), hanging.run()))).slice(-5)).toEqual([
      "thread/tokenUsage/updated",
      "account/rateLimits/updated",
      "response:turn/interrupt",
      "thread/status/changed",
      "turn/completed",
    ]);
    server.enqueue({ steps: [turnStep.approval("touch x")], text: "done" });
    expect((await orderOf(() => thread.run("approve"))).slice(3, 10)).toEqual([
      "item/completed",
      "thread/status/changed",
      "item/started",
      "item/commandExecution/requestApproval",
      "serverRequest/resolved",
      "thread/status/changed",
      "item/completed",
    ]);
    server.enqueue({ hang: true, text: "partial" }, { text: "after steer" });
    const steered = await thread.turn("hang");
    expect((await orderOf(async () => (await steered.steer("more please"), steered.run()))).slice(-11)).toEqual([
      "response:turn/steer",
      "account/rateLimits/updated",
      "item/started",
      "item/completed",
      "item/started",
      "item/agentMessage/delta",
      "item/completed",
      "thread/tokenUsage/updated",
      "account/rateLimits/updated",
      "thread/status/changed",
      "turn/completed",
    ]);
  });

  it("answers -32600 with the real server's wording to every method on a thread it does not have", async () => {
    const { codex } = await start();
    const threadId = "019a0000-0001-7000-8000-0000000000ff";
    const missing = async (request: Promise<unknown>): Promise<unknown> => request.then(() => "answered", (e: { code?: unknown; rpcMessage?: unknown }) => ({ code: e.code, message: e.rpcMessage }));
    const invalid = (message: string): unknown => ({ code: -32600, message });
    expect(await missing(codex.request("thread/resume", { threadId }))).toEqual(invalid(`no rollout found for thread id ${threadId}`));
    expect(await missing(codex.request("thread/fork", { threadId }))).toEqual(invalid(`no rollout found for thread id ${threadId}`));
    expect(await missing(codex.request("thread/archive", { threadId }))).toEqual(invalid(`no rollout found for thread id ${threadId}`));
    expect(await missing(codex.request("thread/unarchive", { threadId }))).toEqual(invalid(`no rollout found for thread id ${threadId}`));
    expect(await missing(codex.request("thread/read", { threadId, includeTurns: true }))).toEqual(invalid(`thread not loaded: ${threadId}`));
    expect(await missing(codex.request("thread/name/set", { threadId, name: "n" }))).toEqual(invalid(`thread not found: ${threadId}`));
    expect(await missing(codex.request("thread/compact/start", { threadId }))).toEqual(invalid(`thread not found: ${threadId}`));
    expect(await missing(codex.request("turn/start", { threadId, input: [] }))).toEqual(invalid(`thread not found: ${threadId}`));
    expect(await missing(codex.request("turn/interrupt", { threadId, turnId: "t" }))).toEqual(invalid("no active turn to interrupt"));
    expect(await missing(codex.request("turn/steer", { threadId, input: [], expectedTurnId: "t" }))).toEqual(invalid("no active turn to steer"));
    // A thread it has, without an active turn: the same answers.
    const thread = await codex.threadStart();
    expect(await missing(codex.request("turn/interrupt", { threadId: thread.id, turnId: "t" }))).toEqual(invalid("no active turn to interrupt"));
    expect(await missing(codex.request("turn/steer", { threadId: thread.id, input: [], expectedTurnId: "t" }))).toEqual(invalid("no active turn to steer"));
    expect(await missing(codex.request("thread/compact/start", { threadId: thread.id }))).toBe("answered");
  });

  it("answers -32601 to a method it does not know, and scripted errors and answers for a method", async () => {
    const { server, codex } = await start();
    await expect(codex.request("feedback/upload" as "model/list", {}, { skipParamsValidation: true })).rejects.toThrow(MethodNotFoundError);
    server.fail("model/list", { code: -32001, message: "Server overloaded; retry later." });
    await expect(codex.models()).rejects.toThrow(ServerBusyError);
    expect((await codex.models()).data.map((m) => m.id)).toEqual(["mock-model"]);
    server.handle("model/list", () => ({ result: { data: [], nextCursor: null } }));
    expect((await codex.models()).data).toEqual([]);
    await expect(codex.threadResume("019a0000-0001-7000-8000-0000000000ff")).rejects.toThrow(/no rollout found/);
    // Params the protocol refuses (sent past the client's own check) get -32602 naming the field, like the real server.
    await expect(codex.request("model/list", { limit: "ten" } as never, { skipParamsValidation: true })).rejects.toMatchObject({
      code: -32602,
      rpcMessage: expect.stringMatching(/^Invalid params for model\/list at limit: /),
    });
    // A script the fake cannot run is the test's mistake: the client hears it as -32603, and the thread goes on.
    const thread = await codex.threadStart();
    server.enqueue({ text: "abc", deltas: ["a", "x"] });
    await expect(thread.run("x")).rejects.toMatchObject({ name: "InternalRpcError", message: expect.stringContaining("do not join") });
    expect((await thread.run("y")).finalResponse).toBe("echo: y");
  });

  it("pushes any notification a test gives it, and starts turns by itself", async () => {
    const { server, codex } = await start();
    const thread = await codex.threadStart();
    const goal = { threadId: thread.id, objective: "ship", status: "active" as const, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 0, updatedAt: 0 };
    const seen = firstValueFrom(codex.notifications$.pipe(ofMethod("thread/goal/updated")));
    server.notify({ method: "thread/goal/updated", params: { threadId: thread.id, goal } });
    expect((await seen).params.goal.objective).toBe("ship");

    const completed = firstValueFrom(codex.notifications$.pipe(ofMethod("turn/completed")));
    const turnId = server.startTurn(thread.id, { text: "continuing" });
    expect((await completed).params.turn).toMatchObject({ id: turnId, status: "completed" });
    const { turns } = await thread.read({ includeTurns: true });
    expect(turns.map((t) => t.id)).toEqual([turnId]);
  });

  it("runs a goal: continuation turns while scripted turns are queued, until one completes the goal", async () => {
    const { server, codex, wire } = await start();
    const thread = await codex.threadStart();
    const seen: string[] = [];
    codex.notifications$.subscribe((n) => {
      if (n.method === "turn/completed") seen.push("turn");
      if (isNotification(n, "thread/goal/updated")) seen.push(`goal:${n.params.goal.status}:${n.params.goal.tokensUsed}`);
    });
    server.enqueue({ text: "step one" }, { text: "done", goal: "complete" }, { text: "never runs" });
    const { goal } = await codex.request("thread/goal/set", { threadId: thread.id, objective: "ship it", origin: "user" });
    expect(goal).toMatchObject({ objective: "ship it", status: "active", tokensUsed: 0 });
    await firstValueFrom(codex.notifications$.pipe(filter((n) => isNotification(n, "thread/goal/updated") && n.params.goal.status === "complete")));
    // Each continuation used 10 input + 2 output tokens (two words), then 10 + 1.
    expect(seen).toEqual(["turn", "goal:active:12", "turn", "goal:complete:23"]);
    // No continuation after the goal completed: the third script is still queued for the next turn.
    expect((await thread.run("next")).finalResponse).toBe("never runs");
    expect((await codex.request("thread/goal/get", { threadId: thread.id })).goal?.status).toBe("complete");
    expect(await codex.request("thread/goal/clear", { threadId: thread.id })).toEqual({ cleared: true });
    expect(wire.filter((l) => l.issue !== null)).toEqual([]);
    expect(wire.some((l) => l.method === "thread/goal/cleared")).toBe(true);
  });

  it("records the client's answers to its server requests", async () => {
    const { server, codex } = await start({}, false);
    const thread = await codex.threadStart();
    server.enqueue({ steps: [turnStep.approval("rm -rf /")], text: "declined, fine" });
    const result = await thread.run("clean up");
    expect(server.answers.map((a) => [a.request.method, a.response])).toEqual([
      ["item/commandExecution/requestApproval", { error: { code: -32601, message: expect.stringContaining("no handler") } }],
    ]);
    expect(result.items.find((i) => i.type === "commandExecution")).toMatchObject({ status: "failed" });
    const answer = server.request("x/custom", { threadId: thread.id });
    expect(await answer).toMatchObject({ error: { code: -32601 } });
  });

  it("dies with an exit code: the client's pending work fails with TransportClosedError", async () => {
    const { server, codex } = await start();
    const thread = await codex.threadStart();
    server.enqueue({ hang: true });
    const turn = await thread.turn("forever");
    server.exit(3);
    await expect(turn.run()).rejects.toMatchObject({ name: "TransportClosedError", exitCode: 3 });
  });
});

describe("fakeAppServer in virtual time", () => {
  it("sends retryable error notifications and the turn still completes", async () => {
    const { server, codex } = await start();
    const thread = await codex.threadStart();
    server.enqueue({ steps: [turnStep.error("Reconnecting... 1/2"), turnStep.error("Reconnecting... 2/2")] });
    const turn = await thread.turn("flaky");
    const result = await turn.run();
    const errors: unknown[] = [];
    turn.events$.pipe(ofMethod("error")).subscribe((n) => errors.push(n.params));
    expect(errors).toEqual([
      errorNotification(thread.id, turn.id, "Reconnecting... 1/2", true).params,
      errorNotification(thread.id, turn.id, "Reconnecting... 2/2", true).params,
    ]);
    expect(result.status).toBe("completed");
    expect(server.requests("turn/start")).toHaveLength(1);
  });
});
