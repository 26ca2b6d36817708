// Codex.start's experimentalApi on the in-memory fake app-server: the flag reaches initialize, the
// connection checks with the experimental surface, and a stable client sends none of it.
import { Codex, ExperimentalApiRequiredError, InvalidInputError, type ProtocolSurface } from "../../src/index.js";
import { fakeAppServer, type FakeAppServer } from "../../src/testing/index.js";

const tool = { type: "function", name: "get_weather", description: "The weather.", inputSchema: { type: "object" } } as const;

let server: FakeAppServer;
let codex: Codex<ProtocolSurface> | undefined;
beforeEach(() => {
  server = fakeAppServer();
});
afterEach(() => codex?.close());

describe("Codex.start({ experimentalApi: true })", () => {
  it("announces the capability and sends thread/start's experimental fields as given", async () => {
    const lab = await Codex.start({ transport: server.transport, experimentalApi: true });
    codex = lab;
    expect(server.requests("initialize")[0]?.params).toMatchObject({ capabilities: { experimentalApi: true } });
    await lab.threadStart({ cwd: "/repo", dynamicTools: [tool] });
    expect(server.requests("thread/start").map((r) => r.params)).toEqual([{ cwd: "/repo", dynamicTools: [tool] }]);
  });

  it("still refuses what the experimental surface does not know, and sends nothing", async () => {
    const lab = await Codex.start({ transport: server.transport, experimentalApi: true });
    codex = lab;
    const typo = lab.threadStart({ cwd: "/repo", dynamicTools: [{ ...tool, nmae: "x" }] as never });
    await expect(typo).rejects.toMatchObject({ name: "InvalidInputError", path: "dynamicTools.0.nmae" });
    expect(server.requests("thread/start")).toEqual([]);
  });
});

describe("Codex.start() without experimentalApi", () => {
  it("announces no capability and refuses experimental methods and fields with ExperimentalApiRequiredError, sending nothing", async () => {
    const plain = await Codex.start({ transport: server.transport });
    codex = plain;
    expect(server.requests("initialize")[0]?.params).toMatchObject({ capabilities: { experimentalApi: false } });
    const sentBefore = server.received.length;
    await expect(plain.threadStart({ cwd: "/repo", dynamicTools: [tool] } as never)).rejects.toBeInstanceOf(ExperimentalApiRequiredError);
    await expect(plain.request("thread/queue/list" as never, { threadId: "t" } as never)).rejects.toBeInstanceOf(ExperimentalApiRequiredError);
    const thread = await plain.threadStart({ cwd: "/repo" });
    const sentAfterStart = server.received.length;
    // A turn's experimental fields too (turn/start's collaborationMode), and it is still an InvalidInputError.
    const turn = thread.run("hi", { collaborationMode: null } as never);
    await expect(turn).rejects.toBeInstanceOf(InvalidInputError);
    await expect(turn).rejects.toMatchObject({ name: "ExperimentalApiRequiredError", path: "collaborationMode" });
    expect(server.received.length).toBe(sentAfterStart);
    expect(server.requests("thread/start")).toHaveLength(1);
    expect(sentAfterStart - sentBefore).toBe(1);
  });
});
