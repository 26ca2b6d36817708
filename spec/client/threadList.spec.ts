import { InvalidInputError, JsonRpcError, type Codex } from "../../src/index.js";
import type { FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex } from "../helpers/fakeCodex.js";

let server: FakeAppServer;
let codex: Codex;
let made: string[];

beforeEach(async () => {
  ({ server, codex } = await fakeCodex());
  made = [];
  for (let i = 0; i < 5; i++) made.push((await codex.threadStart({ cwd: "/repo" })).id);
});
afterEach(() => codex.close());

const listCalls = (): unknown[] => server.requests("thread/list").map((r) => r.params);

describe("codex.threadList", () => {
  it("awaited, is one page with the cursor of the next", async () => {
    const page = await codex.threadList({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBe("2");
    expect(listCalls()).toEqual([{ limit: 2 }]);
  });

  it("sends nothing until it is awaited or iterated", async () => {
    const listing = codex.threadList({ limit: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(listCalls()).toEqual([]);
    await listing;
    expect(listCalls()).toHaveLength(1);
  });

  it("iterated, yields every thread of every page, passing the filters with each cursor", async () => {
    const seen: string[] = [];
    for await (const info of codex.threadList({ limit: 2, archived: false })) seen.push(info.id);
    expect(seen.sort()).toEqual([...made].sort());
    expect(listCalls()).toEqual([
      { limit: 2, archived: false },
      { limit: 2, archived: false, cursor: "2" },
      { limit: 2, archived: false, cursor: "4" },
    ]);
  });

  it("iterating starts from the given cursor", async () => {
    const seen: string[] = [];
    for await (const info of codex.threadList({ limit: 2, cursor: "4" })) seen.push(info.id);
    expect(seen).toHaveLength(1);
    expect(listCalls()).toEqual([{ limit: 2, cursor: "4" }]);
  });

  it("stops asking for pages on break", async () => {
    const seen: string[] = [];
    for await (const info of codex.threadList({ limit: 1 })) {
      seen.push(info.id);
      break;
    }
    expect(seen).toHaveLength(1);
    expect(listCalls()).toHaveLength(1);
  });

  it("fetches the first page once when it is both awaited and iterated", async () => {
    const listing = codex.threadList({ limit: 3 });
    const page = await listing;
    const seen: string[] = [];
    for await (const info of listing) seen.push(info.id);
    expect(seen.slice(0, 3)).toEqual(page.data.map((t) => t.id));
    expect(seen).toHaveLength(5);
    expect(listCalls()).toEqual([{ limit: 3 }, { limit: 3, cursor: "3" }]);
  });

  it("refuses an unknown param both ways with InvalidInputError, and sends nothing", async () => {
    const bad = { limt: 2 } as never;
    await expect(codex.threadList(bad)).rejects.toThrow(InvalidInputError);
    await expect(codex.threadList(bad).catch((e: unknown) => e)).resolves.toBeInstanceOf(InvalidInputError);
    const iterate = async (): Promise<void> => {
      for await (const _ of codex.threadList(bad)) void _;
    };
    await expect(iterate()).rejects.toThrow(InvalidInputError);
    expect(listCalls()).toEqual([]);
  });

  it("fails with the server's error, also in the middle of iterating", async () => {
    server.fail("thread/list", { code: -32603, message: "list failed" });
    await expect(codex.threadList()).rejects.toThrow(JsonRpcError);
    const seen: string[] = [];
    const iterate = async (): Promise<void> => {
      for await (const info of codex.threadList({ limit: 2 })) {
        seen.push(info.id);
        if (seen.length === 2) server.fail("thread/list", { code: -32603, message: "second page failed" });
      }
    };
    await expect(iterate()).rejects.toThrow("second page failed");
    expect(seen).toHaveLength(2);
  });

  it("finally runs when the first page settles", async () => {
    let ran = false;
    const page = await codex.threadList({ limit: 1 }).finally(() => (ran = true));
    expect(ran).toBe(true);
    expect(page.data).toHaveLength(1);
  });
});
