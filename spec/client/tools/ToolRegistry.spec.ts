import { filter, firstValueFrom, lastValueFrom, NEVER, toArray, type Observable } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { z } from "zod";
import { Codex, ExperimentalApiRequiredError, InvalidInputError, tool, toolNamespace, type CommonCodexOptions, type ToolCallOutcome, type ToolContext, type ToolOutput, type TurnState } from "../../../src/index.js";
import { fakeAppServer, turnStep, type FakeAppServer } from "../../../src/testing/index.js";
import { marbles, recordFrames } from "../../helpers/virtualMarbles.js";

// Client-side tools end to end over the in-memory fake app-server, in virtual time.

interface Setup {
  readonly scheduler: TestScheduler;
  readonly server: FakeAppServer;
  readonly codex: Codex;
  readonly calls: ToolCallOutcome[];
  settle<T>(promise: Promise<T>, ms?: number): Promise<T>;
}

let open: Codex[] = [];
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});

async function setup(options: CommonCodexOptions = {}, stepMs = 0): Promise<Setup> {
  const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
  const server = fakeAppServer({ scheduler, stepMs });
  const settle = async <T>(promise: Promise<T>, ms?: number): Promise<T> => {
    await server.advance(ms);
    return promise;
  };
  const codex = await settle(Codex.start({ experimentalApi: true, scheduler, ...options, transport: server.transport }));
  open.push(codex);
  const calls: ToolCallOutcome[] = [];
  codex.toolCalls$.subscribe((c) => calls.push(c));
  return { scheduler, server, codex, calls, settle };
}

const weather = (execute: (args: { city: string }, context: ToolContext) => ToolOutput | PromiseLike<ToolOutput> | Observable<ToolOutput> = ({ city }) => `${city}: sunny`, timeoutMs?: number) =>
  tool({ name: "get_weather", description: "Weather of a city", parameters: z.object({ city: z.string() }), execute, ...(timeoutMs === undefined ? {} : { timeoutMs }) });

const answersTo = (server: FakeAppServer) => server.answers.filter((a) => a.request.method === "item/tool/call").map((a) => a.response);
const text = (t: string) => ({ type: "inputText", text: t });

describe("threadStart({ tools })", () => {
  it("sends the tools as dynamicTools and answers the model's call with execute's output", async () => {
    const s = await setup();
    const thread = await s.settle(s.codex.threadStart({ cwd: "/repo", tools: [weather()] }));
    expect(s.server.requests("thread/start")[0]?.params).toEqual({
      cwd: "/repo",
      dynamicTools: [{ type: "function", name: "get_weather", description: "Weather of a city", inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }],
    });
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" }, { callId: "call_w" })], text: "It is sunny." });
    const turn = await s.settle(thread.turn("weather?"));
    const states: TurnState[] = [];
    turn.progress$.subscribe((state) => states.push(state));
    const result = await s.settle(turn.run());
    expect(answersTo(s.server)).toEqual([{ result: { contentItems: [text("Paris: sunny")], success: true } }]);
    // In TurnResult.items, and in progress$ first running, then finished.
    expect(result.items.find((i) => i.type === "dynamicToolCall")).toMatchObject({ id: "call_w", status: "completed", success: true, contentItems: [text("Paris: sunny")] });
    expect(states.some((st) => st.inProgress["call_w"]?.type === "dynamicToolCall")).toBe(true);
    expect(states.at(-1)?.inProgress).toEqual({});
    // In events$, and on the typed stream with its answer.
    const events = await lastValueFrom(turn.events$.pipe(toArray()));
    expect(events.filter((n) => n.method === "item/started" || n.method === "item/completed").map((n) => (n.params as { item: { type: string } }).item.type)).toContain("dynamicToolCall");
    expect(s.calls).toEqual([{ call: expect.objectContaining({ tool: "get_weather", callId: "call_w", arguments: { city: "Paris" } }), status: "completed", response: { contentItems: [text("Paris: sunny")], success: true }, durationMs: 0 }]);
    expect((await firstValueFrom(turn.serverRequests$)).request.method).toBe("item/tool/call");
  });

  it("refuses tools without experimentalApi, naming the option, and sends nothing", async () => {
    const s = await setup({ experimentalApi: false });
    const refused = s.codex.threadStart({ tools: [weather()] });
    await expect(refused).rejects.toThrow(ExperimentalApiRequiredError);
    await expect(refused).rejects.toThrow("tools is an experimental field of thread/start: start the client with Codex.start({ experimentalApi: true }); nothing was sent");
    await expect(s.codex.threadResume("t", { tools: [weather()] })).rejects.toThrow(/experimentalApi: true/);
    expect(s.server.requests("thread/start")).toEqual([]);
    expect(s.server.requests("thread/resume")).toEqual([]);
  });

  it("refuses bad or duplicate names and unknown options before anything is sent", async () => {
    const s = await setup();
    await expect(s.codex.threadStart({ tools: [weather(), weather()] })).rejects.toThrow(InvalidInputError);
    await expect(s.codex.threadStart({ tools: [toolNamespace({ name: "web", description: "d", tools: [weather()] })] })).rejects.toThrow(/reserved/);
    await expect(s.codex.threadStart({ tools: [weather()], modle: "x" } as never)).rejects.toThrow(/did you mean model/);
    await expect(s.codex.threadStart({ tools: [weather()], dynamicTools: [] } as never)).rejects.toThrow("dynamicTools: give tools or dynamicTools, not both");
    expect(s.server.requests("thread/start")).toEqual([]);
  });

  it("answers arguments that fail the schema with success false, the issues, and no execute", async () => {
    const s = await setup();
    let executed = 0;
    const execute = () => ((executed += 1), "x");
    const thread = await s.settle(s.codex.threadStart({ tools: [weather(execute)] }));
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { town: "Paris" })] });
    const result = await s.settle(thread.run("go"));
    expect(executed).toBe(0);
    expect(answersTo(s.server)).toEqual([{ result: { success: false, contentItems: [text('Invalid arguments for tool "get_weather":\n- city: Invalid input: expected string, received undefined\nCall it again with arguments that match its schema.')] } }]);
    expect(result.items.find((i) => i.type === "dynamicToolCall")).toMatchObject({ status: "failed", success: false });
    expect(s.calls[0]?.status).toBe("invalidArguments");
  });

  it("answers a throwing tool with its message and shows the error on toolCalls$; the turn goes on", async () => {
    const s = await setup();
    const boom = new Error("weather service down");
    const thread = await s.settle(s.codex.threadStart({ tools: [weather(() => Promise.reject(boom))] }));
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" })], text: "Sorry." });
    const result = await s.settle(thread.run("go"));
    expect(result.finalResponse).toBe("Sorry.");
    expect(answersTo(s.server)).toEqual([{ result: { success: false, contentItems: [text('Tool "get_weather" failed: weather service down')] } }]);
    expect(s.calls[0]).toMatchObject({ status: "failed", error: boom });
  });

  it("times out in virtual time: the answer goes at timeoutMs and the signal aborts", async () => {
    const s = await setup();
    let signal: AbortSignal | undefined;
    const thread = await s.settle(s.codex.threadStart({ tools: [weather((_a, context) => ((signal = context.signal), NEVER), 5_000)] }));
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" })] });
    const turn = await s.settle(thread.turn("go"), 0);
    const answers = recordFrames(s.server.answers$.pipe(filter((a) => a.request.method === "item/tool/call")), s.scheduler);
    await s.settle(turn.run());
    expect(answers.messages).toEqual(marbles("5000ms a", { a: expect.objectContaining({ response: { result: { success: false, contentItems: [text('Tool "get_weather" timed out after 5000 ms.')] } } }) }));
    expect(signal?.aborted).toBe(true);
    expect(s.calls[0]).toMatchObject({ status: "timedOut", durationMs: 5_000 });
  });

  it("ends a call left open by an interrupt: the signal aborts, the call is answered, the turn ends interrupted", async () => {
    const s = await setup();
    let signal: AbortSignal | undefined;
    const thread = await s.settle(s.codex.threadStart({ tools: [weather((_a, context) => ((signal = context.signal), new Promise<never>(() => undefined)))] }));
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" }, { callId: "call_i" })] });
    const turn = await s.settle(thread.turn("go"));
    expect(signal?.aborted).toBe(false);
    await s.settle(turn.interrupt());
    const result = await s.settle(lastValueFrom(turn.result$));
    expect(result.status).toBe("interrupted");
    expect(result.items.find((i) => i.id === "call_i")).toMatchObject({ status: "failed", contentItems: [] });
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as Error).message).toBe("tool get_weather was cancelled: its turn ended (interrupted)");
    expect(s.calls.map((c) => c.status)).toEqual(["aborted"]);
    expect(answersTo(s.server)).toEqual([{ result: { success: false, contentItems: [text('Tool "get_weather" was cancelled: its turn ended (interrupted).')] } }]);
  });

  it("aborts running calls and completes toolCalls$ when the client closes", async () => {
    const s = await setup();
    let signal: AbortSignal | undefined;
    const thread = await s.settle(s.codex.threadStart({ tools: [weather((_a, context) => ((signal = context.signal), NEVER))] }));
    s.server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" })] });
    await s.settle(thread.turn("go"));
    const done = lastValueFrom(s.codex.toolCalls$.pipe(toArray()));
    await s.codex.close();
    expect(signal?.aborted).toBe(true);
    expect((await done).map((c) => c.status)).toEqual(["aborted"]);
  });
});

describe("handlers belong to their thread", () => {
  it("two threads each answer their own search", async () => {
    const s = await setup();
    const search = (corpus: string) => tool({ name: "search", description: "d", parameters: z.object({ q: z.string() }), execute: ({ q }) => `${corpus}:${q}` });
    const a = await s.settle(s.codex.threadStart({ tools: [search("docs")] }));
    const b = await s.settle(s.codex.threadStart({ tools: [search("code")] }));
    s.server.enqueue({ steps: [turnStep.toolCall("search", { q: "x" })] }, { steps: [turnStep.toolCall("search", { q: "y" })] });
    await s.settle(a.run("1"));
    await s.settle(b.run("2"));
    expect(answersTo(s.server).map((r) => ("result" in r ? r.result : r))).toEqual([
      { success: true, contentItems: [text("docs:x")] },
      { success: true, contentItems: [text("code:y")] },
    ]);
  });

  it("runs concurrent calls concurrently", async () => {
    const s = await setup();
    const log: string[] = [];
    const slow = tool({
      name: "slow",
      description: "d",
      parameters: z.object({ n: z.number() }),
      execute: ({ n }) => new Promise<string>((resolve) => { log.push(`start ${n}`); s.scheduler.schedule(() => { log.push(`end ${n}`); resolve(`done ${n}`); }, 100 * n); }),
    });
    const thread = await s.settle(s.codex.threadStart({ tools: [slow] }));
    const ask = (n: number) => s.server.request("item/tool/call", { threadId: thread.id, turnId: "turn_x", callId: `c${n}`, namespace: null, tool: "slow", arguments: { n } });
    const both = Promise.all([ask(2), ask(1)]);
    expect(await s.settle(both)).toEqual([{ result: { success: true, contentItems: [text("done 2")] } }, { result: { success: true, contentItems: [text("done 1")] } }]);
    expect(log).toEqual(["start 2", "start 1", "end 1", "end 2"]);
  });

  it("answers a tool this client has no handler for with success false naming it (a resumed thread given no tools)", async () => {
    const s = await setup();
    const started = await s.settle(s.codex.threadStart({ tools: [toolNamespace({ name: "crm", description: "d", tools: [weather()] })] }));
    const ask = (threadId: string, namespace: string | null) => s.server.request("item/tool/call", { threadId, turnId: "t", callId: "c", namespace, tool: "get_weather", arguments: { city: "X" } });
    expect(await s.settle(ask(started.id, "crm"))).toEqual({ result: { success: true, contentItems: [text("X: sunny")] } });
    expect(await s.settle(ask(started.id, null))).toEqual({
      result: { success: false, contentItems: [text('Tool "get_weather" is not available: this client has no handler for it on this thread. Do not call it again; continue without it.')] },
    });
    expect(await s.settle(ask("other-thread", "crm"))).toMatchObject({ result: { success: false, contentItems: [text(expect.stringContaining('Tool "crm.get_weather" is not available'))] } });
    expect(s.calls.map((c) => c.status)).toEqual(["completed", "noHandler", "noHandler"]);
  });

  it("resume attaches handlers again; a fork keeps its source's handlers unless given its own", async () => {
    const s = await setup();
    const thread = await s.settle(s.codex.threadStart({ tools: [weather(() => "first")] }));
    await s.settle(thread.run("make a rollout"));
    await s.settle(s.codex.threadResume(thread.id, { tools: [weather(() => "resumed")] }));
    expect(s.server.requests("thread/resume")[0]?.params).toEqual({ threadId: thread.id });
    const fork = await s.settle(s.codex.threadFork(thread.id));
    const own = await s.settle(s.codex.threadFork(thread.id, { tools: [weather(() => "own")] }));
    const ask = (threadId: string) => s.server.request("item/tool/call", { threadId, turnId: "t", callId: "c", namespace: null, tool: "get_weather", arguments: { city: "X" } });
    const texts = [];
    for (const id of [thread.id, fork.id, own.id]) texts.push(await s.settle(ask(id)));
    expect(texts).toEqual(["resumed", "resumed", "own"].map((t) => ({ result: { success: true, contentItems: [text(t)] } })));
  });
});

describe("tools and approvals['item/tool/call']", () => {
  it("a thread's tool answers first; the approvals callback answers the calls no tool takes", async () => {
    const s = await setup({ approvals: { "item/tool/call": ({ tool: name }) => ({ success: true, contentItems: [{ type: "inputText", text: `generic ${name}` }] }) } });
    const thread = await s.settle(s.codex.threadStart({ tools: [weather()] }));
    const ask = (name: string) => s.server.request("item/tool/call", { threadId: thread.id, turnId: "t", callId: "c", namespace: null, tool: name, arguments: { city: "X" } });
    expect(await s.settle(ask("get_weather"))).toEqual({ result: { success: true, contentItems: [text("X: sunny")] } });
    expect(await s.settle(ask("other"))).toEqual({ result: { success: true, contentItems: [text("generic other")] } });
    // Only the tool's own calls are on toolCalls$; the callback's are on serverRequests$.
    expect(s.calls.map((c) => c.call.tool)).toEqual(["get_weather"]);
  });
});
