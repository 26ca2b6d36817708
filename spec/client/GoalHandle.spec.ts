import { readFileSync } from "node:fs";
import { lastValueFrom, toArray } from "rxjs";
import { Codex } from "../../src/client/Codex.js";
import { GoalIncompleteError, AbortError } from "../../src/errors/index.js";
import type { Thread } from "../../src/client/Thread.js";
import type { RouterSource } from "../../src/routing/NotificationRouter.js";
import { goalUpdated, threadGoal, turnEvents } from "../../src/testing/index.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

// The test plays the app-server over an in-memory transport: it decides exactly when each
// notification and each answer goes out, in the orders the real server was seen to use.

// The recorded thread/start answer (transcript message 2), renamed to thread "th".
const recordedStart = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as { id?: number; result?: { thread?: Record<string, unknown> } })
  .find((m) => m.id === 2)?.result ?? {};

type Request = { readonly id: unknown; readonly method: string; readonly params: Record<string, unknown> };

/** A scripted server: `on(method)` answers requests; everything else is sent by the test. */
async function scripted(): Promise<{ codex: Codex; thread: Thread; transport: MemoryTransport; requests: Request[]; on: (method: string, answer: (r: Request) => void) => void }> {
  const transport = new MemoryTransport();
  const requests: Request[] = [];
  const handlers = new Map<string, (r: Request) => void>();
  transport.onSend = (m) => {
    if (typeof m["method"] !== "string" || m["id"] === undefined) return;
    const r = m as unknown as Request;
    requests.push(r);
    if (r.method === "initialize") queueMicrotask(() => transport.receive({ id: r.id, result: { userAgent: "memory/0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" } }));
    else if (r.method === "thread/start") queueMicrotask(() => transport.receive({ id: r.id, result: threadStartResult() }));
    else handlers.get(r.method)?.(r);
  };
  const codex = await Codex.start({ transport });
  const thread = await codex.threadStart();
  return { codex, thread, transport, requests, on: (method, answer) => handlers.set(method, answer) };
}

function threadStartResult(): Record<string, unknown> {
  return { ...recordedStart, thread: { ...recordedStart.thread, id: "th" } };
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe("GoalHandle (over an in-memory app-server)", () => {
  it("keeps what the server sends before it answers thread/goal/set: the first update and a whole first turn", async () => {
    const { thread, transport, on } = await scripted();
    on("thread/goal/set", (r) => {
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "active").params });
      for (const n of turnEvents({ threadId: "th", turnId: "t1", answer: ["a"] })) transport.receive(n);
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "complete", "t1").params });
      transport.receive({ id: r.id, result: { goal: threadGoal("th", "active") } });
    });
    const goal = await thread.runGoal("fast");
    const result = await goal.run();
    expect(result.status).toBe("complete");
    expect(result.turns.map((t) => t.id)).toEqual(["t1"]);
    const handles = await lastValueFrom(goal.turns$.pipe(toArray()));
    expect(handles.map((h) => h.id)).toEqual(["t1"]);
    expect((await handles[0]?.run())?.finalResponse).toBe("a");
  });

  it("resume answered before its thread/goal/updated: run() waits for the resumed goal", async () => {
    const { thread, transport, on, requests } = await scripted();
    on("thread/goal/set", (r) => {
      const status = r.params["status"];
      if (status === undefined) {
        transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "active").params });
        transport.receive({ id: r.id, result: { goal: threadGoal("th", "active") } });
      } else {
        // Answer first, notify later: the order the real server used under load.
        transport.receive({ id: r.id, result: { goal: threadGoal("th", status as "paused") } });
        setImmediate(() => transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", status as "paused").params }));
      }
    });
    const goal = await thread.runGoal("pausable");
    await goal.pause();
    expect((await goal.run()).status).toBe("paused");
    await tick(); // the pause's own notification arrives (before the resume is sent)
    await goal.resume();
    let settled = false;
    const next = goal.run().finally(() => (settled = true));
    await tick();
    await tick();
    expect(settled).toBe(false);
    for (const n of turnEvents({ threadId: "th", turnId: "t2", answer: ["b"] }).slice(0, -1)) transport.receive(n);
    transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "complete", "t2").params });
    transport.receive(turnEvents({ threadId: "th", turnId: "t2" }).at(-1) as object);
    const result = await next;
    expect(result.status).toBe("complete");
    expect(result.turns.map((t) => t.id)).toEqual(["t2"]);
    expect(requests.filter((r) => r.method === "thread/goal/set").map((r) => r.params["status"] ?? r.params["objective"])).toEqual(["pausable", "paused", "active"]);
  });

  it("an abort while the set request is on its way pauses the goal once it is accepted", async () => {
    const { thread, transport, on, requests } = await scripted();
    const controller = new AbortController();
    on("thread/goal/set", (r) => {
      if (r.params["status"] === "paused") {
        transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "paused").params });
        transport.receive({ id: r.id, result: { goal: threadGoal("th", "paused") } });
        return;
      }
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "active").params });
      controller.abort();
      transport.receive({ id: r.id, result: { goal: threadGoal("th", "active") } });
    });
    const goal = await thread.runGoal("abort me", { signal: controller.signal });
    await expect(goal.run()).rejects.toBeInstanceOf(AbortError);
    expect(requests.map((r) => r.method).filter((m) => m.startsWith("thread/goal"))).toEqual(["thread/goal/set", "thread/goal/set"]);
    expect(requests.at(-1)?.params).toMatchObject({ threadId: "th", status: "paused", origin: "user" });
    // The handle stopped following the goal: its streams are complete.
    expect((await lastValueFrom(goal.events$.pipe(toArray()))).map((n) => n.method)).toEqual(["thread/goal/updated", "thread/goal/updated"]);
  });

  it("a signal of AbortSignal.timeout() fails run() with an AbortError that says the goal timed out", async () => {
    const { thread, transport, on } = await scripted();
    const controller = new AbortController();
    const reason = new DOMException("The operation was aborted due to timeout", "TimeoutError");
    on("thread/goal/set", (r) => {
      const status = r.params["status"] === "paused" ? "paused" : "active";
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", status).params });
      if (status === "active") controller.abort(reason);
      transport.receive({ id: r.id, result: { goal: threadGoal("th", status) } });
    });
    const goal = await thread.runGoal("too slow", { signal: controller.signal });
    const error: unknown = await goal.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe("the goal on thread th timed out: The operation was aborted due to timeout");
    expect((error as AbortError).cause).toBe(reason);
  });

  it("a client closed while the goal runs fails run() with GoalIncompleteError", async () => {
    const { codex, thread, transport, on } = await scripted();
    on("thread/goal/set", (r) => {
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "active").params });
      transport.receive({ id: r.id, result: { goal: threadGoal("th", "active") } });
    });
    const goal = await thread.runGoal("forever");
    const run = goal.run();
    await codex.close();
    await expect(run).rejects.toBeInstanceOf(GoalIncompleteError);
    await expect(run).rejects.toMatchObject({ threadId: "th", status: "active" });
  });

  it("a refused goal leaves nothing subscribed and rejects with the server's error", async () => {
    const { thread, transport, on } = await scripted();
    on("thread/goal/set", (r) => transport.receive({ id: r.id, error: { code: -32602, message: "objective too long" } }));
    await expect(thread.runGoal("x".repeat(10))).rejects.toMatchObject({ code: -32602 });
  });

  it("follows its goal on the connection's router: a running goal adds no subscriber to the whole stream, and its events stay its thread's", async () => {
    const { codex, thread, transport, on } = await scripted();
    const rpc = (codex as unknown as { rpc: RouterSource & { notificationsSubject: { observers: readonly unknown[] } } }).rpc;
    const spine = rpc.notificationsSubject;
    void codex["context"].router; // the connection's one router, made on first use
    const before = spine.observers.length;
    on("thread/goal/set", (r) => {
      transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "active").params });
      transport.receive({ id: r.id, result: { goal: threadGoal("th", "active") } });
    });
    const goal = await thread.runGoal("flat");
    expect(spine.observers.length).toBe(before);
    for (const n of turnEvents({ threadId: "other", turnId: "o1", answer: ["no"] })) transport.receive(n);
    for (const n of turnEvents({ threadId: "th", turnId: "t1", answer: ["yes"] })) transport.receive(n);
    transport.receive({ method: "thread/goal/updated", params: goalUpdated("th", "complete", "t1").params });
    const result = await goal.run();
    expect(result.status).toBe("complete");
    expect(result.turns.map((t) => t.id)).toEqual(["t1"]);
    const events = await lastValueFrom(goal.events$.pipe(toArray()));
    expect(events.every((e) => (e.params as { threadId?: string }).threadId === "th")).toBe(true);
  });
});
