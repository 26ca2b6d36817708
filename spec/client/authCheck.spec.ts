import { readFileSync } from "node:fs";
import { TestScheduler } from "rxjs/testing";
import { AuthRequiredError, Codex } from "../../src/index.js";
import { advanceVirtualTime } from "../../src/testing/index.js";
import { fakeCodex } from "../helpers/fakeCodex.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

// The account check before a turn, over the in-memory fake app-server and a scripted server.

describe("the account check before a turn", () => {
  it("refuses a turn without a login when the provider requires OpenAI auth; nothing is sent", async () => {
    const { server, codex } = await fakeCodex({ requiresOpenaiAuth: true });
    const thread = await codex.threadStart();
    const error = await thread.run("hi").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthRequiredError);
    expect((error as Error).message).toMatch(/loginApiKey/);
    expect(server.requests("turn/start")).toHaveLength(0);
    await codex.close();
  });

  it("reads the account again after a login (account/updated), and the turn then runs", async () => {
    const { server, codex } = await fakeCodex({ requiresOpenaiAuth: true });
    const thread = await codex.threadStart();
    await expect(thread.run("hi")).rejects.toThrow(AuthRequiredError);
    await codex.loginApiKey("sk-test");
    expect((await thread.run("hi")).finalResponse).toBe("echo: hi");
    expect(server.requests("account/read").length).toBeGreaterThanOrEqual(2);
    await codex.close();
  });

  it("reads the account once for many turns while nothing changes", async () => {
    const { server, codex } = await fakeCodex();
    const thread = await codex.threadStart();
    await thread.run("one");
    await thread.run("two");
    expect(server.requests("account/read")).toHaveLength(1);
    await codex.close();
  });

  it("asks a server that does not know account/read once, then lets every turn through", async () => {
    const { server, codex } = await fakeCodex();
    server.handle("account/read", () => ({ error: { code: -32601, message: "method not found" } }));
    const thread = await codex.threadStart();
    await thread.run("one");
    await thread.run("two");
    expect(server.requests("account/read")).toHaveLength(1);
    expect(server.requests("turn/start")).toHaveLength(2);
    await codex.close();
  });

  it("is off with authCheck: false: no account/read, the turn is sent", async () => {
    const { server, codex } = await fakeCodex({ requiresOpenaiAuth: true }, { authCheck: false });
    const thread = await codex.threadStart();
    expect((await thread.run("hi")).finalResponse).toBe("echo: hi");
    expect(server.requests("account/read")).toHaveLength(0);
    await codex.close();
  });

  it("gives no verdict, not a hang, when account/read is never answered: the turn is sent after 10 s (virtual time)", async () => {
    type Line = { id?: number; result?: Record<string, unknown> };
    const lines = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as Line);
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const transport = new MemoryTransport();
    transport.onSend = (m) => {
      const reply = (result: unknown): void => queueMicrotask(() => transport.receive({ id: m["id"], result }));
      if (m["method"] === "initialize") reply({ userAgent: "memory/0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" });
      if (m["method"] === "thread/start") reply(lines.find((l) => l.id === 2)?.result);
      // account/read: never answered.
    };
    const codex = await Codex.start({ transport, scheduler });
    const thread = await codex.threadStart();
    const sentTurnStart = (): boolean => transport.sent.some((m) => (m as { method?: string }).method === "turn/start");
    void thread.turn("hi").catch(() => undefined);
    await advanceVirtualTime(scheduler, 9_999);
    expect(sentTurnStart()).toBe(false);
    await advanceVirtualTime(scheduler, 1);
    expect(sentTurnStart()).toBe(true);
    await codex.close();
  });
});
