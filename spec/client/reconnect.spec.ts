import { readFileSync } from "node:fs";
import { filter, firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { Codex } from "../../src/client/Codex.js";
import { GAP_METHOD, isGap } from "../../src/client/GapNotification.js";
import type { TurnHandle } from "../../src/client/TurnHandle.js";
import { TurnFailedError } from "../../src/errors/index.js";
import type { ConnectionState } from "../../src/transport/ConnectionState.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";
import { ReconnectingMemoryTransport } from "../helpers/ReconnectingMemoryTransport.js";

// The recorded 0.169.0 transcript: real thread, turn and item shapes.
type Line = { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> };
const lines = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "")
  .map((l) => JSON.parse(l) as Line);
const threadInfo = lines.find((m) => m.id === 2)?.result?.["thread"] as { id: string };
const turnStart = lines.find((m) => m.id === 3)?.result as { turn: { id: string } };
const [started, userDone, agentDone] = ["turn/started", "item/completed", "item/completed"].map((method, i) => lines.filter((m) => m.method === method)[i === 2 ? 1 : 0] as Line);
const userItem = (userDone?.params as { item: { id: string } }).item;
const agentItem = (agentDone?.params as { item: { id: string; text: string } }).item;
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const initialized = { userAgent: "memory/0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" };

/** A Codex whose scripted server answers initialize, thread/start and turn/start, and `resume` for thread/resume. */
async function scripted(resume: (id: number) => void, read?: (id: number) => void) {
  const transport = new ReconnectingMemoryTransport();
  transport.onSend = (m) => {
    const reply = (result: unknown): void => queueMicrotask(() => transport.receive({ id: m["id"], result }));
    if (m["method"] === "initialize") reply(initialized);
    if (m["method"] === "thread/start") reply({ ...lines.find((l) => l.id === 2)?.result });
    if (m["method"] === "turn/start") reply(turnStart);
    if (m["method"] === "thread/resume") queueMicrotask(() => resume(m["id"] as number));
    if (m["method"] === "thread/read" && read !== undefined) queueMicrotask(() => read(m["id"] as number));
  };
  // The scripted server answers no account/read: the account check is not what these specs test.
  const codex = await Codex.start({ transport, authCheck: false });
  const thread = await codex.threadStart({});
  const turn = await thread.turn("hello");
  transport.receive({ method: "turn/started", params: started?.params });
  transport.receive({ method: "item/completed", params: userDone?.params });
  return { codex, transport, thread, turn };
}

function resumed(transport: ReconnectingMemoryTransport, id: number, turn: Record<string, unknown>): void {
  const thread = { ...(lines.find((l) => l.id === 2)?.result?.["thread"] as object), turns: [turn] };
  transport.receive({ id, result: { ...lines.find((l) => l.id === 2)?.result, thread } });
}

describe("Codex over a reconnecting transport (scripted server)", () => {
  it("marks the gap, resumes the thread, and ends a turn that finished meanwhile with its recorded items, no duplicates", async () => {
    const { codex, transport, turn } = await scripted((id) =>
      resumed(transport, id, { id: turnStart.turn.id, items: [userItem, agentItem], itemsView: "full", status: "completed", error: null }),
    );
    const states: ConnectionState[] = [];
    codex.connection$.subscribe((s) => states.push(s));
    const events = lastValueFrom(turn.events$.pipe(toArray()));
    transport.drop();
    const gap = await firstValueFrom(turn.events$.pipe(filter(isGap)));
    expect(gap).toEqual({ method: GAP_METHOD, params: { threadId: threadInfo.id, turnId: turnStart.turn.id, reason: expect.stringContaining("socket closed by server") } });
    transport.reopen();
    const result = await turn.run();
    expect(result.items.map((i) => i.id)).toEqual([userItem.id, agentItem.id]);
    expect(result.finalResponse).toBe(agentItem.text);
    expect((await events).map((n) => n.method)).toEqual(["turn/started", "item/completed", GAP_METHOD, "item/completed", "turn/completed"]);
    const sent = transport.sent as { method?: string; params?: unknown }[];
    expect(sent.slice(-3).map((m) => m.method)).toEqual(["initialize", "initialized", "thread/resume"]);
    expect(sent.at(-1)?.params).toEqual({ threadId: threadInfo.id });
    await firstValueFrom(codex.connection$.pipe(filter((s) => s.state === "open" && s.attempt !== undefined)));
    expect(states.map((s) => s.state)).toEqual(["open", "reconnecting", "open"]);
    expect(states.at(-1)).toEqual({ state: "open", attempt: 1 });
  });

  it.each([
    ["the thread's record", true],
    ["the summary in turn/completed when the record cannot be read", false],
  ])("delivers an item that completed between the resume's snapshot and the new subscription, from %s, ahead of turn/completed", async (_from, readable) => {
    const threadWith = (items: unknown[]) => ({ ...(lines.find((l) => l.id === 2)?.result?.["thread"] as object), turns: [{ id: turnStart.turn.id, items, itemsView: "full", status: "completed", error: null }] });
    const { transport, turn } = await scripted(
      (id) => resumed(transport, id, { id: turnStart.turn.id, items: [userItem], itemsView: "full", status: "inProgress", error: null }),
      (id) => transport.receive(readable ? { id, result: { thread: threadWith([userItem, agentItem]) } } : { id, error: { code: -32603, message: "no" } }),
    );
    const events = lastValueFrom(turn.events$.pipe(toArray()));
    transport.drop();
    transport.reopen();
    await tick();
    await tick();
    // The server's own end of the turn: its item/completed went nowhere (nobody was subscribed yet).
    const completed = lines.find((l) => l.method === "turn/completed") as { params: { turn: object } };
    // With a readable record, the summary is left empty: only the record can have the agent message.
    const summary = readable ? { ...completed.params, turn: { ...completed.params.turn, items: [] } } : completed.params;
    transport.receive({ method: "turn/completed", params: summary });
    const result = await turn.run();
    expect(result.items.map((i) => i.id)).toEqual([userItem.id, agentItem.id]);
    expect((await events).map((n) => n.method)).toEqual(["turn/started", "item/completed", GAP_METHOD, "item/completed", "turn/completed"]);
  });

  it("restores the turns the router has open, a server-started one (seen through turns$) too; the gap is replayed to a later subscriber", async () => {
    const serverTurn = { id: "turn-by-the-server", items: [agentItem], itemsView: "full", status: "completed", error: null };
    const { transport, thread, turn } = await scripted((id) => {
      const record = { ...(lines.find((l) => l.id === 2)?.result?.["thread"] as object), turns: [{ id: turnStart.turn.id, items: [userItem, agentItem], itemsView: "full", status: "completed", error: null }, serverTurn] };
      transport.receive({ id, result: { ...lines.find((l) => l.id === 2)?.result, thread: record } });
    });
    const handles: TurnHandle[] = [];
    thread.turns$.subscribe((h) => handles.push(h));
    // The server starts a turn by itself while the client's own is still running.
    transport.receive({ method: "turn/started", params: { threadId: threadInfo.id, turn: { ...serverTurn, items: [], status: "inProgress" } } });
    expect(handles.map((h) => h.id)).toEqual([serverTurn.id]);
    transport.drop();
    transport.reopen();
    const [own, started] = await Promise.all([turn.run(), handles[0]?.run()]);
    expect(own.items.map((i) => i.id)).toEqual([userItem.id, agentItem.id]);
    expect(started?.items.map((i) => i.id)).toEqual([agentItem.id]);
    // Subscribed after the restore: the replay has the marker where the gap was.
    for (const h of [turn, ...handles]) {
      const methods = (await lastValueFrom(h.events$.pipe(toArray()))).map((n) => n.method);
      expect(methods.filter((m) => m === GAP_METHOD)).toHaveLength(1);
      expect(methods.at(-1)).toBe("turn/completed");
    }
  });

  it("fails a turn the server has no record of with TurnFailedError, never a hang", async () => {
    const { transport, turn } = await scripted((id) => {
      if ((transport.sent.at(-1) as { method?: string }).method === "thread/resume") resumed(transport, id, { id: "another-turn", items: [], status: "completed" });
    });
    transport.onSend = ((previous) => (m: Record<string, unknown>) => {
      previous(m);
      if (m["method"] === "thread/read") queueMicrotask(() => transport.receive({ id: m["id"], result: { thread: { ...(lines.find((l) => l.id === 2)?.result?.["thread"] as object), turns: [] } } }));
    })(transport.onSend);
    transport.drop();
    transport.reopen();
    const error = await turn.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnFailedError);
    expect((error as TurnFailedError).message).toMatch(/no record of this turn/);
  });

  it("fails the turns of a thread that cannot be resumed with TurnFailedError", async () => {
    const { transport, turn } = await scripted((id) => transport.receive({ id, error: { code: -32600, message: "thread not found" } }));
    transport.drop();
    transport.reopen();
    const error = await turn.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TurnFailedError);
    expect((error as TurnFailedError).message).toMatch(/could not be resumed.*thread not found/);
  });
});

describe("codex.connection$ over stdio-like transports", () => {
  async function plain(): Promise<{ codex: Codex; transport: MemoryTransport }> {
    const transport = new MemoryTransport();
    transport.onSend = (m) => {
      if (m["method"] === "initialize") queueMicrotask(() => transport.receive({ id: m["id"], result: initialized }));
    };
    return { codex: await Codex.start({ transport }), transport };
  }

  it("is open, then closed when the client closes", async () => {
    const { codex } = await plain();
    const states = lastValueFrom(codex.connection$.pipe(toArray()));
    await codex.close();
    expect(await states).toEqual([{ state: "open" }, { state: "closed" }]);
  });

  it("is open, then closed with the error when the server dies", async () => {
    const { codex, transport } = await plain();
    const states = lastValueFrom(codex.connection$.pipe(toArray()));
    transport.die(1);
    await tick();
    const [open, closed] = await states;
    expect(open).toEqual({ state: "open" });
    expect(closed?.state).toBe("closed");
    expect(closed?.error?.name).toBe("TransportClosedError");
  });
});
