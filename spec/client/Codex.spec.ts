import { firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { Codex } from "../../src/client/Codex.js";
import { readFileSync } from "node:fs";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

// A real Thread object, as the 0.169.0 server sent it (thread/start response of the recorded transcript).
const recordedThread = (
  readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { id?: number; result?: { thread?: Record<string, unknown> } })
    .find((m) => m.id === 2)?.result?.thread ?? {}
);

/** A Codex over an in-memory transport whose scripted server answers initialize and thread/list. */
async function scripted(pages: number) {
  const transport = new MemoryTransport();
  const listCalls: unknown[] = [];
  transport.onSend = (m) => {
    const reply = (result: unknown): void => queueMicrotask(() => transport.receive({ id: m["id"], result }));
    if (m["method"] === "initialize") reply({ userAgent: "memory/0", codexHome: "/h", platformFamily: "unix", platformOs: "linux" });
    if (m["method"] === "thread/list") {
      listCalls.push(m["params"]);
      const cursor = Number((m["params"] as { cursor?: string }).cursor ?? "0");
      reply({ data: [{ ...recordedThread, id: `t${cursor}` }], nextCursor: cursor + 1 < pages ? String(cursor + 1) : null });
    }
  };
  const codex = await Codex.start({ transport });
  return { codex, transport, listCalls };
}

describe("Codex paging", () => {
  it("threadList$ follows nextCursor until there is none, passing the filters on every page", async () => {
    const { codex, listCalls } = await scripted(3);
    const pages = await lastValueFrom(codex.threadList$({ limit: 5, archived: false }).pipe(toArray()));
    expect(pages.map((p) => p.nextCursor)).toEqual(["1", "2", null]);
    expect(listCalls).toEqual([{ limit: 5, archived: false }, { limit: 5, archived: false, cursor: "1" }, { limit: 5, archived: false, cursor: "2" }]);
  });

  it("threadList$ requests no further page once the subscriber has enough", async () => {
    const { codex, listCalls, transport } = await scripted(10);
    await firstValueFrom(codex.threadList$({}).pipe(take(2), toArray()));
    await new Promise((r) => setImmediate(r));
    expect(listCalls).toHaveLength(2);
    expect(transport.sent.filter((m) => (m as { method?: string }).method === "thread/list")).toHaveLength(2);
  });

  it("threads() iterates every thread across pages", async () => {
    const { codex, listCalls } = await scripted(4);
    const seen: string[] = [];
    for await (const info of codex.threads({ limit: 1 })) seen.push(info.id);
    expect(seen).toEqual(["t0", "t1", "t2", "t3"]);
    expect(listCalls).toHaveLength(4);
  });

  it("threads() stops paging on break", async () => {
    const { codex, listCalls } = await scripted(10);
    for await (const info of codex.threads()) {
      if (info.id === "t1") break;
    }
    expect(listCalls).toHaveLength(2);
  });
});
