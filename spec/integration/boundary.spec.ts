// What a user's first program meets at the boundary, on the real app-server: presets that never
// weaken an explicit sandbox, params refused before they are sent, and their typed errors.
import { chmod, writeFile } from "node:fs/promises";
import path from "node:path";
import { lastValueFrom, toArray } from "rxjs";
import {
  AbortError,
  ApprovalMode,
  AuthRequiredError,
  Codex,
  CodexBinaryNotRunnableError,
  TransportClosedError,
  InvalidInputError,
  PresetConflictError,
  Sandbox,
  type Input,
  type Notification,
  type TurnState,
  type ThreadStartOptions,
  type TurnOptions,
} from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { codexHomeFor, output, reply } from "../../src/testing/index.js";
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

describe("credentials are checked before a turn (real app-server)", () => {
  it("refuses a turn at once when the provider requires OpenAI auth and there is no login; the model gets nothing", async () => {
    await using home = await codexHomeFor(h.fake, { provider: { requires_openai_auth: true } });
    const { OPENAI_API_KEY: _unset, ...env } = process.env;
    const codex = await Codex.start({ env: { ...(env as Record<string, string>), ...home.env } });
    try {
      const thread = await codex.threadStart({ cwd: h.cwd });
      const requests = h.fake.requests.length;
      const t0 = performance.now();
      const error = await thread.run("hello").catch((e: unknown) => e);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(error).toBeInstanceOf(AuthRequiredError);
      const message = (error as Error).message;
      for (const hint of ["codex.loginApiKey(", "codex.loginChatgpt()", "codex login", "codex-rx/testing", "npm run demo", "authCheck: false"]) expect(message).toContain(hint);
      expect(message).not.toContain("OPENAI_API_KEY is set");
      expect(h.fake.requests.length).toBe(requests);

      // A login (account/updated) makes the next turn go through.
      await codex.loginApiKey("sk-test-not-a-real-key");
      expect((await thread.run("after login")).finalResponse).toBe("echo: after login");
    } finally {
      await codex.close();
    }
  });

  it("names OPENAI_API_KEY when it is set (the server does not read it), and authCheck: false opts out", async () => {
    await using home = await codexHomeFor(h.fake, { provider: { requires_openai_auth: true } });
    const codex = await Codex.start({ env: { ...home.env, OPENAI_API_KEY: "sk-env-only" } });
    const optedOut = await Codex.start({ env: home.env, authCheck: false });
    try {
      const error = await (await codex.threadStart({ cwd: h.cwd })).run("x").catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "AuthRequiredError", apiKeyInEnvironment: true });
      expect((error as Error).message).toContain("OPENAI_API_KEY is set, but the app-server does not read it for this provider");
      // Without the check, the turn reaches the (fake) model.
      expect((await (await optedOut.threadStart({ cwd: h.cwd })).run("through")).finalResponse).toBe("echo: through");
    } finally {
      await Promise.all([codex.close(), optedOut.close()]);
    }
  });
});

describe("server-side retries are visible (real app-server)", () => {
  it("TurnState.errors and TurnResult.errors carry every retry, in order, as it happens", async () => {
    await using home = await codexHomeFor(h.fake, { provider: { stream_max_retries: 2 } });
    const codex = await Codex.start({ env: home.env });
    try {
      const thread = await codex.threadStart({ cwd: h.cwd });
      h.fake.enqueue(reply.disconnect([output.message("half an ans")]), reply.text("recovered"));
      const turn = await thread.turn("flaky");
      const snapshots = lastValueFrom(turn.progress$.pipe(toArray()));
      const result = await turn.run();
      expect(result.finalResponse).toBe("recovered");
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ willRetry: true, turnId: turn.id, error: { message: "Reconnecting... 1/2" } });
      // The live snapshots had the error before the turn completed.
      const states: TurnState[] = await snapshots;
      const firstWithError = states.findIndex((s) => s.errors.length === 1);
      expect(firstWithError).toBeGreaterThan(-1);
      expect(states[firstWithError]?.completed).toBe(false);
    } finally {
      await codex.close();
    }
  });
});

describe("abort is visible to every way of reading a turn (real app-server)", () => {
  it("the async iterator and progress() throw AbortError after the events so far; events$ still completes", async () => {
    const codex = await h.start();
    const thread = await codex.threadStart({ cwd: h.cwd });
    h.fake.enqueue(reply.hang({ text: "partial " }));
    const controller = new AbortController();
    const turn = await thread.turn("abort me", { signal: controller.signal });
    const seen: Notification[] = [];
    let thrown: unknown;
    try {
      for await (const event of turn) {
        seen.push(event);
        if (event.method === "item/agentMessage/delta") controller.abort();
      }
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(AbortError);
    expect(seen[seen.length - 1]?.method).toBe("turn/completed");

    let last: TurnState | undefined;
    const progressError = await (async () => {
      for await (const state of turn.progress()) last = state;
    })().catch((e: unknown) => e);
    expect(progressError).toBeInstanceOf(AbortError);
    expect(last?.status).toBe("interrupted");

    const events = await lastValueFrom(turn.events$.pipe(toArray()));
    expect(events).toEqual(seen);
  });
});

describe("errors say what happened (real app-server)", () => {
  it("names a missing cwd as such, not the binary", async () => {
    const error = await Codex.start({ env: h.home.env, cwd: "/does/not/exist" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ path: "cwd", message: "invalid Codex.start input: cwd: the working directory /does/not/exist does not exist; nothing was sent" });
  });

  it("says a binary that exists cannot run: not executable, a directory, or a format the system cannot execute", async () => {
    const notExecutable = path.join(h.cwd, "codex-not-executable");
    await writeFile(notExecutable, "#!/bin/sh\necho hi\n");
    const garbage = path.join(h.cwd, "codex-garbage");
    await writeFile(garbage, "\u007fELF\u0002garbage");
    await chmod(garbage, 0o755);
    for (const [codexPath, why] of [
      [notExecutable, /exists but cannot be run: it is not executable/],
      [h.cwd, /exists but cannot be run: it is a directory/],
      [garbage, /exists but cannot be run: the system could not execute it \(exit code 127/],
    ] as const) {
      const error = await Codex.start({ codexPath, env: h.home.env }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CodexBinaryNotRunnableError);
      expect(error).toMatchObject({ path: codexPath });
      expect((error as Error).message).toMatch(why);
    }
  });

  it("leads TransportClosedError with the server's explaining line, plain text, the whole tail in stderrTail", async () => {
    const error = await Codex.start({ env: h.home.env, config: { model_provider: "nope" } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportClosedError);
    const { message, stderrTail, exitCode } = error as TransportClosedError;
    expect(exitCode).toBe(1);
    expect(message).toMatch(/^Error: Model provider `nope` not found \(app-server transport closed: process exited; exit code 1; full stderr in stderrTail\)$/);
    expect(message).not.toMatch(/\u001b/);
    expect(stderrTail).toContain("Error: Model provider `nope` not found");
    expect(stderrTail.indexOf("Error: Model provider")).toBeGreaterThan(0);
  });
});
