import { lastValueFrom, map, toArray } from "rxjs";
import { AbortError, ApprovalMode, TurnFailedError, ofMethod, type Codex, type Notification } from "../../src/index.js";
import { InvalidRequestError } from "../../src/index.js";
import { turnStep, type FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex, virtualCodex } from "../helpers/fakeCodex.js";
import { marbles, recordFrames } from "../helpers/virtualMarbles.js";

// Thread over the in-memory fake app-server: no binary, the protocol's real shapes.

let server: FakeAppServer;
let codex: Codex;
beforeEach(async () => {
  ({ server, codex } = await fakeCodex());
});
afterEach(() => codex.close());

const turnIdsOf = (events: readonly Notification[]): Set<string> =>
  new Set(events.map((n) => (n.params as { turnId?: string; turn?: { id: string } }).turnId ?? (n.params as { turn?: { id: string } }).turn?.id ?? "none"));

describe("Thread.run", () => {
  it("returns the turn's result: the echo answer, its items, usage and status", async () => {
    const thread = await codex.threadStart({ cwd: "/repo" });
    const result = await thread.run("hello there");
    expect(result).toMatchObject({ status: "completed", finalResponse: "echo: hello there", error: null });
    expect(result.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
    expect(result.usage?.last).toMatchObject({ inputTokens: 10, outputTokens: 3 });
    expect(server.requests("turn/start")[0]?.params).toEqual({ threadId: thread.id, input: [{ type: "text", text: "hello there", text_elements: [] }] });
  });

  it("continues the thread: each run is a turn, and the usage total grows", async () => {
    const thread = await codex.threadStart();
    await thread.run("one");
    const second = await thread.run("two");
    expect(second.usage?.total.outputTokens).toBe(4);
    const { turns } = await thread.read({ includeTurns: true });
    expect(turns.map((t) => t.status)).toEqual(["completed", "completed"]);
  });

  it("sends per-turn options and presets as the wire's fields", async () => {
    const thread = await codex.threadStart();
    await thread.run("x", { model: "gpt-test", effort: "high", approvalMode: ApprovalMode.denyAll });
    expect(server.requests("turn/start")[0]?.params).toMatchObject({ model: "gpt-test", effort: "high", approvalPolicy: "never" });
  });

  it("fails with TurnFailedError carrying the server's error when the turn fails", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ status: "failed", error: "quota exceeded" });
    const turn = await thread.turn("x");
    const failure = turn.run();
    await expect(failure).rejects.toThrow(TurnFailedError);
    await expect(failure).rejects.toMatchObject({ turnError: { message: "quota exceeded" } });
    // events$ itself completes, with the wire's own failed turn/completed.
    const last = (await lastValueFrom(turn.events$.pipe(toArray()))).at(-1);
    expect(last).toMatchObject({ method: "turn/completed", params: { turn: { status: "failed" } } });
  });

  it("fails with the server's JSON-RPC error when it refuses the turn", async () => {
    const thread = await codex.threadStart();
    server.fail("turn/start", { code: -32600, message: "thread is busy" });
    await expect(thread.run("x")).rejects.toThrow(InvalidRequestError);
    // Nothing is left listening: the next turn works.
    expect((await thread.run("y")).finalResponse).toBe("echo: y");
  });

  it("answers a server request through the approvals handler and shows it on the turn", async () => {
    await codex.close();
    ({ server, codex } = await fakeCodex({}, { approvals: { "item/commandExecution/requestApproval": (p) => ({ decision: p.command === "make test" ? "accept" : "decline" }) } }));
    const thread = await codex.threadStart();
    server.enqueue({ steps: [turnStep.approval("make test"), turnStep.approval("rm -rf /")], text: "done" });
    const turn = await thread.turn("go");
    const result = await turn.run();
    expect(server.answers.map((a) => a.response)).toEqual([{ result: { decision: "accept" } }, { result: { decision: "decline" } }]);
    expect(result.items.filter((i) => i.type === "commandExecution").map((i) => (i as { status: string }).status)).toEqual(["completed", "declined"]);
    const onTurn = await lastValueFrom(turn.serverRequests$.pipe(toArray()));
    expect(onTurn.map((e) => [e.request.method, e.response])).toEqual([
      ["item/commandExecution/requestApproval", { result: { decision: "accept" } }],
      ["item/commandExecution/requestApproval", { result: { decision: "decline" } }],
    ]);
  });

  it("aborts: the signal interrupts the turn on the server and run() fails with AbortError", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ hang: true, text: "never finished" });
    const abort = new AbortController();
    const turn = await thread.turn("long", { signal: abort.signal });
    abort.abort(new Error("user pressed stop"));
    await expect(turn.run()).rejects.toThrow(AbortError);
    expect(server.requests("turn/interrupt").map((r) => r.params)).toEqual([{ threadId: thread.id, turnId: turn.id }]);
    const last = (await lastValueFrom(turn.events$.pipe(toArray()))).at(-1);
    expect(last).toMatchObject({ method: "turn/completed", params: { turn: { status: "interrupted" } } });
  });

  it("does not start a turn whose signal is already aborted", async () => {
    const thread = await codex.threadStart();
    await expect(thread.run("x", { signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
    expect(server.requests("turn/start")).toEqual([]);
  });

  it("reads, names and compacts the thread through the server", async () => {
    const thread = await codex.threadStart();
    await thread.run("first prompt");
    const named = lastValueFrom(codex.notifications$.pipe(ofMethod("thread/name/updated"), map((n) => n.params.threadName)), { defaultValue: null });
    await thread.setName("Refactor");
    await thread.compact();
    const read = await thread.read();
    expect(read).toMatchObject({ id: thread.id, name: "Refactor", preview: "first prompt", turns: [] });
    await codex.close();
    expect(await named).toBe("Refactor");
  });
});

describe("concurrent turns", () => {
  it("on two threads never see each other's events, interleaved in virtual time", async () => {
    const v = await virtualCodex();
    const [a, b] = await v.settle(Promise.all([v.codex.threadStart(), v.codex.threadStart()]));
    v.server.enqueue({ text: "a1 a2 a3", deltaDelayMs: 10 }, { text: "b1 b2 b3", deltaDelayMs: 15 });
    const turns = v.settle(Promise.all([a!.turn("A"), b!.turn("B")]), 0);
    const [ta, tb] = await turns;
    const t0 = v.scheduler.now();
    const deltas = (t: typeof ta) => recordFrames(t!.events$.pipe(ofMethod("item/agentMessage/delta"), map((n) => n.params.delta)), v.scheduler, t0);
    const da = deltas(ta);
    const db = deltas(tb);
    const [ra, rb] = await v.settle(Promise.all([ta!.run(), tb!.run()]));
    expect([ra.finalResponse, rb.finalResponse]).toEqual(["a1 a2 a3", "b1 b2 b3"]);
    expect(da.messages).toEqual(marbles("10ms a 9ms b 9ms (c|)", { a: "a1 ", b: "a2 ", c: "a3" }));
    expect(db.messages).toEqual(marbles("15ms a 14ms b 14ms (c|)", { a: "b1 ", b: "b2 ", c: "b3" }));
    const [ea, eb] = await Promise.all([lastValueFrom(ta!.events$.pipe(toArray())), lastValueFrom(tb!.events$.pipe(toArray()))]);
    expect(turnIdsOf(ea)).toEqual(new Set([ta!.id]));
    expect(turnIdsOf(eb)).toEqual(new Set([tb!.id]));
    expect(v.protocolErrors).toEqual([]);
    await v.codex.close();
  });

  it("on one thread are kept apart by turn id", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ text: "first", hang: true }, { text: "second" });
    const first = await thread.turn("1");
    const second = await thread.turn("2");
    expect((await second.run()).finalResponse).toBe("second");
    await first.interrupt();
    const r1 = await first.run();
    expect(r1.status).toBe("interrupted");
    const events = await lastValueFrom(first.events$.pipe(toArray()));
    expect(turnIdsOf(events)).toEqual(new Set([first.id]));
  });
});
