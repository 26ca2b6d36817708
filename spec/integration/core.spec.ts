import { firstValueFrom, lastValueFrom, map, toArray } from "rxjs";
import {
  Codex,
  JsonRpcError,
  TransportClosedError,
  TurnFailedError,
  TurnIncompleteError,
  forTurn,
  ofMethod,
  type Notification,
} from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { reply } from "../../src/testing/index.js";
import { createHarness, isAlive, type Harness, type HarnessTransport } from "./harness.js";

// The harness of the block that runs now: each block below creates its own.
let h: Harness;
let codex: Codex;

afterEach(() => {
  // Everything the real server sent so far matched the generated schemas.
  expect(h.protocolErrors).toEqual([]);
});

// The same turn and streaming cases over both transports: nothing above the transport may differ.
const transports: readonly HarnessTransport[] = ["stdio", "websocket"];
describe.each(transports)("Codex against the real app-server over %s", (transport) => {
  beforeAll(async () => {
    h = await createHarness({ transport });
    codex = await h.start();
  });

  afterAll(async () => {
    await h.dispose();
  });

  sharedCases();
});

function sharedCases(): void {
  it("initializes and exposes the server's metadata", () => {
    expect(codex.metadata.userAgent.startsWith(`codex_rx/${h.serverVersion} `)).toBe(true);
    expect(codex.metadata.codexHome).toBe(h.home.path);
    expect(codex.metadata.platformOs).toBe(process.platform === "darwin" ? "macos" : process.platform);
  });

  it("runs a turn to a TurnResult", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await thread.run("Say hello");
    expect(result.status).toBe("completed");
    expect(result.finalResponse).toBe("echo: Say hello");
    expect(result.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
    expect(result.usage?.total.totalTokens).toBeGreaterThan(0);
    expect(result.error).toBeNull();
    expect(typeof result.startedAt).toBe("number");
    expect(typeof result.durationMs).toBe("number");
    expect(h.fake.lastUserText()).toBe("Say hello");
  });

  it("continues the same thread across turns", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    await thread.run("first");
    const second = await thread.run("second");
    expect(second.finalResponse).toBe("echo: second");
    // The second request to the model carries the first exchange as history.
    const body = JSON.stringify(h.fake.requests[h.fake.requests.length - 1]);
    expect(body).toContain("echo: first");
  });

  it("streams live progress through scan(turnReducer)", async () => {
    h.fake.enqueue(reply.text("one two three four", { deltas: 4 }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("count");
    const texts = await lastValueFrom(turn.progress$.pipe(map((s) => s.text), toArray()));
    const distinct = texts.filter((t, i) => t !== texts[i - 1]);
    // One snapshot per delta (4), each a longer prefix of the answer.
    expect(distinct.length).toBeGreaterThanOrEqual(5);
    distinct.slice(1).forEach((t, i) => expect(t.startsWith(distinct[i] as string) && t.length > (distinct[i] as string).length).toBe(true));
    expect(distinct[distinct.length - 1]).toBe("one two three four");
    const result = await turn.run();
    expect(result.finalResponse).toBe("one two three four");
  });

  it("delivers every delta of the turn on events$", async () => {
    h.fake.enqueue(reply.deltas(500));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("many");
    const deltas = await lastValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta"), toArray()));
    expect(deltas).toHaveLength(500);
    expect(deltas.every((d) => d.params.turnId === turn.id)).toBe(true);
  });

  it("replays the whole turn to a subscriber that comes after completion", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("replay me");
    const live = await lastValueFrom(turn.events$.pipe(toArray()));
    const late = await lastValueFrom(turn.events$.pipe(toArray()));
    expect(late).toEqual(live);
    expect(late[0]?.method).toBe("turn/started");
    expect(late[late.length - 1]?.method).toBe("turn/completed");
    expect(late.every((n) => (n.params as { turnId?: string; turn?: { id: string } }).turnId === turn.id || (n.params as { turn?: { id: string } }).turn?.id === turn.id)).toBe(true);
    // And the result can be computed again, from the replay.
    expect((await turn.run()).finalResponse).toBe("echo: replay me");
  });

  it("keeps 8 concurrent turns on one client apart", async () => {
    const prompts = Array.from({ length: 8 }, (_, i) => `prompt number ${i}`);
    const threads = await Promise.all(prompts.map(() => codex.threadStart({ cwd: h.cwd })));
    const all: Notification[] = [];
    const sub = codex.notifications$.subscribe((n) => all.push(n));
    const turns = await Promise.all(threads.map((t, i) => t.turn(prompts[i] as string)));
    const results = await Promise.all(turns.map((t) => t.run()));
    sub.unsubscribe();
    results.forEach((r, i) => expect(r.finalResponse).toBe(`echo: ${prompts[i]}`));
    for (const turn of turns) {
      const mine = await lastValueFrom(turn.events$.pipe(toArray()));
      const fromSpine = all.filter((n) => forTurnMatches(n, turn.id));
      expect(mine).toEqual(fromSpine);
    }
    expect(new Set(turns.map((t) => t.id)).size).toBe(8);
  });

  it("fails a turn that the model rejects with TurnFailedError carrying the server's error", async () => {
    h.fake.enqueue(reply.httpError(400, { error: { message: "bad things happened", type: "invalid_request_error" } }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("fail please");
    const error = await turn.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnFailedError);
    expect((error as TurnFailedError).turnId).toBe(turn.id);
    expect((error as TurnFailedError).turnError?.message).toContain("bad things happened");
    // events$ itself completes normally, ending with the failed turn/completed.
    const last = await lastValueFrom(turn.events$);
    expect(last.method).toBe("turn/completed");
    // And the client is still fine.
    expect((await thread.run("again")).finalResponse).toBe("echo: again");
  });

  it("rejects a bad thread id with a JsonRpcError", async () => {
    const error = await codex.threadResume("00000000-0000-0000-0000-000000000000").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonRpcError);
    expect((error as JsonRpcError).method).toBe("thread/resume");
    const thread = await codex.threadStart({ cwd: h.cwd });
    const bogus = Object.create(thread, { info: { value: { ...thread.info, id: "not-a-thread" } } }) as typeof thread;
    await expect(bogus.turn("hi")).rejects.toBeInstanceOf(JsonRpcError);
  });

  it("resumes a thread from another client process", async () => {
    const first = await h.start();
    const thread = await first.threadStart({ cwd: h.cwd });
    await thread.run("remember the word banana");
    await first.close(); // the thread is persisted under CODEX_HOME; one writer at a time
    const other = await h.start();
    const resumed = await other.threadResume(thread.id);
    expect(resumed.id).toBe(thread.id);
    const result = await resumed.run("what was the word?");
    expect(result.finalResponse).toBe("echo: what was the word?");
    expect(JSON.stringify(h.fake.requests[h.fake.requests.length - 1])).toContain("remember the word banana");
    await other.close();
  });

  it("shows every message on the one notifications$ stream, filtered per turn by forTurn", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const spine = firstValueFrom(codex.notifications$.pipe(ofMethod("turn/completed")));
    const turn = await thread.turn("spine");
    const completed = await spine;
    expect(completed.params.turn.id).toBe(turn.id);
    const viaOperator = await lastValueFrom(turn.events$.pipe(forTurn(turn.id), toArray()));
    expect(viaOperator.length).toBeGreaterThan(3);
  });
}

// Child-process specifics (pid, signal, orphans); the WebSocket counterparts are in websocket.spec.ts.
describe("closing", () => {
  beforeAll(async () => {
    h = await createHarness();
  });

  afterAll(async () => {
    await h.dispose();
  });

  it("ends the child process, fails open turns and pending requests, leaves no orphan", async () => {
    const own = await h.start();
    const transport = own["rpc"].transport as StdioTransport;
    const pid = transport.pid as number;
    expect(isAlive(pid)).toBe(true);
    h.fake.enqueue(reply.hang());
    const thread = await own.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("hang forever");
    await h.fake.waitForRequests(h.fake.requests.length);
    const running = turn.run();
    await own.close();
    await expect(running).rejects.toBeInstanceOf(TurnIncompleteError);
    expect(isAlive(pid)).toBe(false);
    await expect(thread.run("after close")).rejects.toBeInstanceOf(TransportClosedError);
    await own.close(); // idempotent
  });

  it("fails everything with TransportClosedError when the process is killed", async () => {
    const own = await h.start();
    const pid = (own["rpc"].transport as StdioTransport).pid as number;
    h.fake.enqueue(reply.hang());
    const thread = await own.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("hang then die");
    const running = turn.run();
    process.kill(pid, "SIGKILL");
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportClosedError);
    expect((error as TransportClosedError).signal).toBe("SIGKILL");
    await expect(own.threadStart({})).rejects.toBeInstanceOf(TransportClosedError);
  });
});

function forTurnMatches(n: Notification, turnId: string): boolean {
  const p = n.params as { turnId?: unknown; turn?: { id?: unknown } } | null;
  return p !== null && typeof p === "object" && (p.turnId === turnId || p.turn?.id === turnId);
}
