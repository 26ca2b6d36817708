import { firstValueFrom } from "rxjs";
import { ofMethod, forThread, type Codex, type Thread } from "../../src/index.js";
import { createHarness, type Harness } from "./harness.js";

let h: Harness;
let codex: Codex;
const made: Thread[] = [];

beforeAll(async () => {
  h = await createHarness();
  codex = await h.start();
  // Three threads with one turn each, so they are persisted and listable.
  for (const word of ["alpha", "beta", "gamma"]) {
    const thread = await codex.threadStart({ cwd: h.cwd });
    await thread.run(`thread about ${word}`);
    made.push(thread);
  }
});
afterAll(async () => {
  await h.dispose();
});
afterEach(() => {
  expect(h.protocolErrors).toEqual([]);
});

const ids = (threads: readonly { id: string }[]): string[] => threads.map((t) => t.id).sort();

describe("thread operations against the real app-server", () => {
  it("lists threads one page at a time (awaited) and every page (iterated)", async () => {
    const page = await codex.threadList({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBeTruthy();

    const pages = [await codex.threadList({ limit: 1 })];
    for (let next = pages[0]?.nextCursor; next; next = pages.at(-1)?.nextCursor) pages.push(await codex.threadList({ limit: 1, cursor: next }));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((p) => p.data.length <= 1)).toBe(true);
    const fromPages = pages.flatMap((p) => p.data);
    expect(ids(fromPages)).toEqual(expect.arrayContaining(ids(made)));

    const iterated: { id: string }[] = [];
    for await (const info of codex.threadList({ limit: 1 })) iterated.push(info);
    expect(ids(iterated)).toEqual(ids(fromPages));
  });

  it("stops paging on break", async () => {
    // (that no further page is requested is unit-tested in spec/client/threadList.spec.ts)
    const first: { id: string }[] = [];
    for await (const info of codex.threadList({ limit: 1 })) {
      first.push(info);
      break;
    }
    expect(first).toHaveLength(1);
  });

  it("filters the list (searchTerm)", async () => {
    const found = await codex.threadList({ searchTerm: "gamma" });
    expect(found.data.map((t) => t.id)).toContain(made[2]?.id);
    expect(found.data.map((t) => t.id)).not.toContain(made[0]?.id);
  });

  it("archives and unarchives", async () => {
    const target = made[0] as Thread;
    await codex.threadArchive(target.id);
    expect(ids((await codex.threadList({ archived: true })).data)).toContain(target.id);
    expect(ids((await codex.threadList({})).data)).not.toContain(target.id);
    const back = await codex.threadUnarchive(target.id);
    expect(back.id).toBe(target.id);
    expect(ids((await codex.threadList({})).data)).toContain(target.id);
  });

  it("forks a thread: a new id that continues the original history", async () => {
    const source = made[1] as Thread;
    const fork = await codex.threadFork(source.id);
    expect(fork.id).not.toBe(source.id);
    expect(fork.info.forkedFromId).toBe(source.id);
    await fork.run("and then?");
    expect(JSON.stringify(h.fake.requests[h.fake.requests.length - 1])).toContain("thread about beta");
  });

  it("reads a thread with its turns, and names it", async () => {
    const thread = made[2] as Thread;
    const named = firstValueFrom(codex.notifications$.pipe(forThread(thread.id), ofMethod("thread/name/updated")));
    await thread.setName("Gamma thread");
    expect((await named).params.threadName).toBe("Gamma thread");
    const read = await thread.read({ includeTurns: true });
    expect(read.name).toBe("Gamma thread");
    expect(read.turns).toHaveLength(1);
    expect(read.turns[0]?.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
  });

  it("compacts a thread's context through the model", async () => {
    const thread = made[2] as Thread;
    const before = h.fake.requests.length;
    const compacted = firstValueFrom(codex.notifications$.pipe(forThread(thread.id), ofMethod("turn/completed")));
    await thread.compact();
    await compacted;
    expect(h.fake.requests.length).toBe(before + 1);
  });

  it("lists models, hidden ones on request", async () => {
    const visible = await codex.models();
    const all = await codex.models({ includeHidden: true });
    expect(visible.data.length).toBeGreaterThan(0);
    expect(all.data.length).toBeGreaterThanOrEqual(visible.data.length);
    expect(visible.data.every((m) => !m.hidden)).toBe(true);
  });
});
