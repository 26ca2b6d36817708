// What a user's first program meets at the boundary, on the real app-server: presets that never
// weaken an explicit sandbox, params refused before they are sent, and their typed errors.
import {
  ApprovalMode,
  Codex,
  InvalidInputError,
  PresetConflictError,
  Sandbox,
  StdioTransport,
  type Input,
  type ThreadStartOptions,
  type TurnOptions,
} from "../../src/index.js";
import { CountingTransport } from "../helpers/CountingTransport.js";
import { useHarness, type Harness } from "./harness.js";

let h: Harness;
useHarness((harness) => (h = harness));

/** A client whose every write is counted. */
async function counted(): Promise<{ codex: Codex; wire: CountingTransport }> {
  const wire = new CountingTransport(new StdioTransport({ env: h.home.env }));
  const codex = await h.start({ transport: wire });
  return { codex, wire };
}

/** The sandbox the server persisted for a thread, as `thread/resume` reports it. */
async function persistedSandbox(codex: Codex, threadId: string): Promise<string> {
  const resumed = await codex.request("thread/resume", { threadId });
  return resumed.sandbox.type;
}

describe("presets never weaken an explicit sandbox (real app-server)", () => {
  it("refuses bypass-everything with an explicit read-only sandbox at thread level: no thread is started", async () => {
    const { codex, wire } = await counted();
    const before = wire.methods.length;
    const threadsBefore = (await codex.threadList({})).data.length;
    const attempt = codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox: Sandbox.readOnly });
    await expect(attempt).rejects.toBeInstanceOf(PresetConflictError);
    await expect(attempt).rejects.toMatchObject({ method: "thread/start", path: "sandbox" });
    expect(wire.methods.slice(before)).toEqual(["thread/list"]);
    expect((await codex.threadList({})).data.length).toBe(threadsBefore);
  });

  it("refuses bypass-everything with an explicit restricted sandbox at turn level: no turn runs, the sandbox stays", async () => {
    const { codex, wire } = await counted();
    const thread = await codex.threadStart({ cwd: h.cwd, sandbox: Sandbox.readOnly });
    await thread.run("first");
    const requests = h.fake.requests.length;
    for (const options of [
      { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandboxPolicy: { type: "readOnly" } },
      { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox: Sandbox.workspace },
    ] satisfies TurnOptions[]) {
      await expect(thread.run("escalate", options)).rejects.toBeInstanceOf(PresetConflictError);
    }
    expect(wire.count("turn/start")).toBe(1);
    expect(h.fake.requests.length).toBe(requests);
    expect(await persistedSandbox(codex, thread.id)).toBe("readOnly");
  });

  it("keeps an explicit sandbox under a preset that sets none, and opens it only for bypass-everything alone", async () => {
    const codex = await h.start();
    const kept = await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.denyAll, sandbox: Sandbox.workspace });
    await kept.run("a");
    expect(await persistedSandbox(codex, kept.id)).toBe("workspaceWrite");

    const opened = await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox });
    await opened.run("b");
    expect(await persistedSandbox(codex, opened.id)).toBe("dangerFullAccess");

    const turnLevel = await codex.threadStart({ cwd: h.cwd, sandbox: Sandbox.workspace });
    await turnLevel.run("c", { sandbox: Sandbox.readOnly, approvalMode: ApprovalMode.denyAll });
    expect(await persistedSandbox(codex, turnLevel.id)).toBe("readOnly");
  });
});

describe("outgoing params are validated before anything is sent (real app-server)", () => {
  it("names an unknown thread option and the nearest known one", async () => {
    const { codex, wire } = await counted();
    const before = wire.methods.length;
    const attempt = codex.threadStart({ modle: "x" } as ThreadStartOptions);
    await expect(attempt).rejects.toBeInstanceOf(InvalidInputError);
    await expect(attempt).rejects.toThrow("invalid thread/start input: modle: unknown key, did you mean model?; nothing was sent");
    expect(wire.methods.length).toBe(before);
  });

  it("names the path of a bad sandboxPolicy, a number as input and a bad preset; no turn is started", async () => {
    const { codex, wire } = await counted();
    const thread = await codex.threadStart({ cwd: h.cwd });
    const bad: Array<[Input, TurnOptions | undefined, string]> = [
      ["x", { sandboxPolicy: { type: "bogus" } } as unknown as TurnOptions, "sandboxPolicy.type"],
      [42 as unknown as Input, undefined, "input"],
      [["ok", 7] as unknown as Input, undefined, "input.1"],
      ["x", { approvalMode: "yolo" } as unknown as TurnOptions, "approvalMode"],
      ["x", { sandbox: "readOnly" } as unknown as TurnOptions, "sandbox"],
      ["x", { signal: "stop" } as unknown as TurnOptions, "signal"],
      ["x", { efort: "low" } as unknown as TurnOptions, "efort"],
    ];
    for (const [input, options, path] of bad) {
      const error = await thread.run(input, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).path).toBe(path);
    }
    expect(wire.count("turn/start")).toBe(0);
  });

  it("validates codex.request too, and skipParamsValidation sends as is", async () => {
    const { codex, wire } = await counted();
    const error = await codex.request("thread/list", { limt: 2 } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "InvalidInputError", method: "thread/list", path: "limt" });
    expect((error as InvalidInputError).issues[0]?.suggestion).toBe("limit");
    expect(wire.count("thread/list")).toBe(0);
    await codex.request("thread/list", { limt: 2 } as never, { skipParamsValidation: true });
    expect(wire.count("thread/list")).toBe(1);
  });
});
