import { lastValueFrom, toArray } from "rxjs";
import { z } from "zod";
import { tool, toolNamespace, type Codex, type ToolCallOutcome, type ToolContext } from "../../src/index.js";
import { output, reply, type ResponsesRequestBody } from "../../src/testing/index.js";
import { useHarness, type Harness } from "./harness.js";

// Client-side tools on the real app-server (dynamicTools, experimentalApi); only the model is fake:
// its function calls are scripted with output.functionCall.
//
// Measured on 0.171.0 (what the tools are built on):
// - The model's function_call of a dynamic tool: item/started (dynamicToolCall, inProgress),
//   item/tool/call to the client, its answer, item/completed (completed | failed, the answer's
//   contentItems); the model's next request carries function_call_output with the text.
// - A turn interrupted while a call waits: the item completes failed with no content, the turn ends
//   interrupted, no serverRequest/resolved; the client's late answer is dropped by the server
//   without an error, and the thread takes the next turn normally.
// - The server keeps a thread's tools: thread/resume ignores the tools given (the model is still
//   offered the thread's own), thread/fork gives the fork its source's tools, and a client that
//   resumes the thread receives the calls.

let h: Harness;
useHarness((harness) => {
  h = harness;
});

const clients: Codex[] = [];
async function client(): Promise<{ codex: Codex; calls: ToolCallOutcome[] }> {
  const codex = await h.start({ experimentalApi: true });
  clients.push(codex);
  const calls: ToolCallOutcome[] = [];
  codex.toolCalls$.subscribe((c) => calls.push(c));
  return { codex, calls };
}
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

const weather = (execute: (args: { city: string }, context: ToolContext) => unknown = ({ city }) => `${city}: 21°C, sunny`) =>
  tool({ name: "get_weather", description: "Current weather of a city", parameters: z.object({ city: z.string() }), execute: execute as never });

/** The text the client's answer gave the model for `callId`, as the model's next request carries it. */
function outputFor(callId: string): unknown {
  for (const request of h.fake.requests as readonly ResponsesRequestBody[]) {
    for (const item of (request as { input?: readonly Record<string, unknown>[] }).input ?? []) {
      if (item["type"] === "function_call_output" && item["call_id"] === callId) return item["output"];
    }
  }
  return undefined;
}

/** The names of the tools the model was offered in its request `index` (namespaces as `ns.name`). */
function offered(index: number): string[] {
  const tools = (h.fake.requests[index] as { tools?: readonly Record<string, unknown>[] }).tools ?? [];
  return tools.flatMap((t) => (t["type"] === "namespace" ? (t["tools"] as { name: string }[]).map((n) => `${String(t["name"])}.${n.name}`) : [String(t["name"] ?? t["type"])]));
}

describe("client-side tools on the real app-server", () => {
  it("answers the model's call with execute's output: the model gets it, the item and toolCalls$ show it", async () => {
    const { codex, calls } = await client();
    const thread = await codex.threadStart({ cwd: h.cwd, tools: [weather()] });
    const first = h.fake.requests.length;
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { city: "Paris" }, { callId: "call_happy" })]), reply.text("It is sunny in Paris."));
    const result = await thread.run("Weather in Paris?");
    expect(offered(first)).toContain("get_weather");
    expect(outputFor("call_happy")).toBe("Paris: 21°C, sunny");
    expect(result.finalResponse).toBe("It is sunny in Paris.");
    expect(result.items.find((i) => i.type === "dynamicToolCall")).toMatchObject({ id: "call_happy", tool: "get_weather", status: "completed", success: true, arguments: { city: "Paris" } });
    expect(calls.map((c) => [c.call.tool, c.status])).toEqual([["get_weather", "completed"]]);
  });

  it("answers bad arguments with the issues (execute not called) and a throwing tool with its message; the turn goes on", async () => {
    const { codex, calls } = await client();
    let executed = 0;
    const failing = tool({ name: "lookup", description: "d", parameters: z.object({ id: z.number() }), execute: () => Promise.reject(new Error("database is down")) });
    const thread = await codex.threadStart({ cwd: h.cwd, tools: [weather(() => ((executed += 1), "x")), failing] });
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { town: "Paris" }, { callId: "call_bad" }), output.functionCall("lookup", { id: 7 }, { callId: "call_throw" })]), reply.text("Sorry."));
    const result = await thread.run("go");
    expect(executed).toBe(0);
    expect(outputFor("call_bad")).toBe('Invalid arguments for tool "get_weather":\n- city: Invalid input: expected string, received undefined\nCall it again with arguments that match its schema.');
    expect(outputFor("call_throw")).toBe('Tool "lookup" failed: database is down');
    expect(result.finalResponse).toBe("Sorry.");
    // The two calls run concurrently: their items complete in whichever order the answers reach the server.
    expect(result.items.filter((i) => i.type === "dynamicToolCall").map((i) => [i.id, i.status]).sort()).toEqual([["call_bad", "failed"], ["call_throw", "failed"]]);
    expect(calls.map((c) => c.status).sort()).toEqual(["failed", "invalidArguments"]);
    expect((calls.find((c) => c.status === "failed")?.error as Error).message).toBe("database is down");
  });

  it("calls a namespaced tool by its namespace", async () => {
    const { codex } = await client();
    const crm = toolNamespace({ name: "crm", description: "Customer records", tools: [tool({ name: "find", description: "Find a customer", parameters: z.object({ name: z.string() }), execute: ({ name }) => ({ name, id: 42 }) })] });
    const thread = await codex.threadStart({ cwd: h.cwd, tools: [crm] });
    const first = h.fake.requests.length;
    h.fake.enqueue(reply.stream([output.functionCall("find", { name: "Ada" }, { callId: "call_ns", namespace: "crm" })]), reply.text("Found."));
    await thread.run("find Ada");
    expect(offered(first)).toContain("crm.find");
    expect(outputFor("call_ns")).toBe('{"name":"Ada","id":42}');
  });

  it("ends a call left open by an interrupt: the signal aborts, the turn ends interrupted, the thread goes on", async () => {
    const { codex, calls } = await client();
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let signal: AbortSignal | undefined;
    const waits = weather((_args, context) => {
      signal = context.signal;
      started();
      return new Promise((_resolve, reject) => context.signal.addEventListener("abort", () => reject(context.signal.reason as Error)));
    });
    const thread = await codex.threadStart({ cwd: h.cwd, tools: [waits] });
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { city: "Oslo" }, { callId: "call_int" })]));
    const turn = await thread.turn("go");
    await running;
    await turn.interrupt();
    const result = await lastValueFrom(turn.result$);
    expect(result.status).toBe("interrupted");
    expect(result.items.find((i) => i.id === "call_int")).toMatchObject({ status: "failed", contentItems: [] });
    expect(signal?.aborted).toBe(true);
    expect(calls.map((c) => c.status)).toEqual(["aborted"]);
    // The late answer upset nothing: the next turn runs.
    h.fake.enqueue(reply.text("next"));
    expect((await thread.run("again")).finalResponse).toBe("next");
  });

  it("two threads each answer their own search", async () => {
    const { codex } = await client();
    const search = (corpus: string) => tool({ name: "search", description: "Search", parameters: z.object({ q: z.string() }), execute: ({ q }) => `${corpus} hits for ${q}` });
    const docs = await codex.threadStart({ cwd: h.cwd, tools: [search("docs")] });
    const code = await codex.threadStart({ cwd: h.cwd, tools: [search("code")] });
    h.fake.enqueue(reply.stream([output.functionCall("search", { q: "a" }, { callId: "call_docs" })]), reply.text("1"));
    await docs.run("x");
    h.fake.enqueue(reply.stream([output.functionCall("search", { q: "b" }, { callId: "call_code" })]), reply.text("2"));
    await code.run("y");
    expect([outputFor("call_docs"), outputFor("call_code")]).toEqual(["docs hits for a", "code hits for b"]);
  });

  it("a second client that resumes the thread gets its calls: without a handler they are answered success false; tools given on resume do not change the thread's", async () => {
    const a = await client();
    const thread = await a.codex.threadStart({ cwd: h.cwd, tools: [weather()] });
    h.fake.enqueue(reply.text("first"));
    await thread.run("hello");
    await a.codex.close();
    const b = await client();
    const other = tool({ name: "other_tool", description: "d", parameters: z.object({}), execute: () => "other" });
    const resumed = await b.codex.threadResume(thread.id, { tools: [other] });
    const first = h.fake.requests.length;
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { city: "Rome" }, { callId: "call_resumed" })]), reply.text("no weather"));
    await resumed.run("weather?");
    expect(offered(first)).toContain("get_weather");
    expect(offered(first)).not.toContain("other_tool");
    expect(outputFor("call_resumed")).toBe('Tool "get_weather" is not available: this client has no handler for it on this thread. Do not call it again; continue without it.');
    expect(b.calls.map((c) => c.status)).toEqual(["noHandler"]);
    // Given the tool on resume, the same client answers it.
    await b.codex.close();
    const c = await client();
    const again = await c.codex.threadResume(thread.id, { tools: [weather(() => "resumed: sunny")] });
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { city: "Rome" }, { callId: "call_again" })]), reply.text("ok"));
    await again.run("weather again?");
    expect(outputFor("call_again")).toBe("resumed: sunny");
  });

  it("a fork keeps its source's tools on the server and its handlers on this client", async () => {
    const { codex } = await client();
    const thread = await codex.threadStart({ cwd: h.cwd, tools: [weather(() => "from the source's handler")] });
    h.fake.enqueue(reply.text("first"));
    await thread.run("hello");
    const fork = await codex.threadFork(thread.id);
    h.fake.enqueue(reply.stream([output.functionCall("get_weather", { city: "Rome" }, { callId: "call_fork" })]), reply.text("ok"));
    await fork.run("weather?");
    expect(outputFor("call_fork")).toBe("from the source's handler");
  });

  it("completes toolCalls$ when the client closes", async () => {
    const { codex } = await client();
    const all = lastValueFrom(codex.toolCalls$.pipe(toArray()));
    await codex.close();
    expect(await all).toEqual([]);
  });
});
