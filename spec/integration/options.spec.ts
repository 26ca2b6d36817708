import { Codex, text } from "../../src/index.js";
import { useHarness, type Harness } from "./harness.js";

let h: Harness;
useHarness((harness) => (h = harness));

describe("CodexOptions reach the real app-server", () => {
  it("passes config as --config overrides and clientInfo in initialize", async () => {
    const codex = await h.start({
      config: { model: "other-model", model_providers: { mock: { name: "renamed mock" } } },
      clientInfo: { name: "my_app", title: "My App", version: "9.9.9" },
      experimentalApi: true,
    });
    expect(codex.metadata.userAgent.startsWith(`my_app/${h.serverVersion} `)).toBe(true);
    expect(codex.metadata.userAgent).toMatch(/\(my_app; 9\.9\.9\)$/);
    const thread = await codex.threadStart({ cwd: h.cwd });
    expect(thread.info.modelProvider).toBe("mock");
    const result = await thread.run("which model?");
    expect(result.finalResponse).toBe("echo: which model?");
    expect(h.fake.requests[h.fake.requests.length - 1]?.["model"]).toBe("other-model");
  });

  it("lets thread options override the model per thread and per turn", async () => {
    const codex = await h.start();
    const thread = await codex.threadStart({ cwd: h.cwd, model: "thread-model", developerInstructions: "Be terse." });
    expect(thread.info.cwd).toBe(h.cwd);
    await thread.run("a");
    const first = h.fake.requests[h.fake.requests.length - 1];
    expect(first?.["model"]).toBe("thread-model");
    expect(JSON.stringify(first)).toContain("Be terse.");
    await thread.run("b", { model: "turn-model" });
    expect(h.fake.requests[h.fake.requests.length - 1]?.["model"]).toBe("turn-model");
  });

  it("accepts mixed input arrays: strings and items", async () => {
    const codex = await h.start();
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await thread.run(["part one", text("part two")]);
    const user = result.items.find((i) => i.type === "userMessage");
    expect(user?.type === "userMessage" ? user.content : undefined).toEqual([
      { type: "text", text: "part one", text_elements: [] },
      { type: "text", text: "part two", text_elements: [] },
    ]);
  });

  it("spawns the child in the given cwd with the given env", async () => {
    const codex = await Codex.start({ env: { ...h.home.env }, cwd: h.cwd });
    try {
      const thread = await codex.threadStart({});
      // With no cwd in thread/start, the server uses its own working directory.
      expect(thread.info.cwd).toBe(h.cwd);
    } finally {
      await codex.close();
    }
  });
});
