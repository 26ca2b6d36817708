import { readFileSync } from "node:fs";
import { ConnectionContext } from "../../src/client/ConnectionContext.js";
import { Codex } from "../../src/index.js";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";
import { ReconnectingMemoryTransport } from "../helpers/ReconnectingMemoryTransport.js";
import { fakeCodex } from "../helpers/fakeCodex.js";

// The per-connection context: one of each part per connection, held as fields, none in a registry.

const threadStarted = (() => {
  const lines = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8").split("\n").filter((l) => l.trim() !== "");
  return (lines.map((l) => JSON.parse(l) as { id?: number; result?: unknown }).find((m) => m.id === 2) as { result: unknown }).result;
})();
const initialize = { clientInfo: { name: "spec", title: null, version: "0" } };

function observers(rpc: RpcConnection): number {
  return rpc["notificationsSubject"].observers.length;
}

describe("ConnectionContext", () => {
  it("makes one router per connection, on first use, subscribed once", () => {
    const rpc = new RpcConnection(new MemoryTransport());
    const context = new ConnectionContext(rpc, { initialize });
    expect(observers(rpc)).toBe(0);
    expect(context.router).toBe(context.router);
    expect(observers(rpc)).toBe(1);
  });

  it("holds the account check only when it is on, and the experimentalApi flag as sent", () => {
    const rpc = new RpcConnection(new MemoryTransport());
    expect(new ConnectionContext(rpc, { initialize }).accountCheck).toBeUndefined();
    expect(new ConnectionContext(rpc, { initialize }).experimentalApi).toBe(false);
    const on = new ConnectionContext(rpc, {
      initialize: { ...initialize, capabilities: { experimentalApi: true } },
      accountCheck: { codexHome: "/tmp/h", apiKeyInEnvironment: false },
    });
    expect(on.accountCheck).toBeDefined();
    expect(on.experimentalApi).toBe(true);
  });

  it("two connections get two contexts that share nothing", async () => {
    const a = await fakeCodex();
    const b = await fakeCodex();
    const ca = a.codex["context"];
    const cb = b.codex["context"];
    expect(ca.rpc).not.toBe(cb.rpc);
    expect(ca.router).not.toBe(cb.router);
    expect(ca.connection$).not.toBe(cb.connection$);
    await a.codex.close();
    await b.codex.close();
  });

  it("a thread handle is registered by the Codex that makes it, only over a transport that reconnects", async () => {
    const stdio = await fakeCodex();
    await stdio.codex.threadStart();
    expect(stdio.codex["context"].threads).toBeUndefined();
    await stdio.codex.close();

    const transport = new ReconnectingMemoryTransport();
    transport.onSend = (m) => {
      const reply = (result: unknown): void => queueMicrotask(() => transport.receive({ id: m["id"], result }));
      if (m["method"] === "initialize") reply({ userAgent: "memory/0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" });
      if (m["method"] === "thread/start") reply(threadStarted);
    };
    const codex = await Codex.start({ transport, authCheck: false });
    const thread = await codex.threadStart();
    expect(codex["context"].threads?.handleOf(thread.id)).toBe(thread);
    await codex.close();
  });
});
