import { TestScheduler } from "rxjs/testing";
import { checkCodexOptions } from "../../src/client/checkCodexOptions.js";
import { Codex, InvalidInputError, type CodexOptions, type Transport } from "../../src/index.js";
import { fakeAppServer } from "../../src/testing/index.js";

/** The error `checkCodexOptions` throws for `options` (fails the test when it throws none). */
function refusal(options: unknown): InvalidInputError {
  try {
    checkCodexOptions(options);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error(`accepted: ${JSON.stringify(options)}`);
}

describe("checkCodexOptions", () => {
  it.each([
    [{ aprovals: {} }, "aprovals", "approvals"],
    [{ expermentalApi: true }, "expermentalApi", "experimentalApi"],
    [{ requestTimeout: 5 }, "requestTimeout", "requestTimeoutMs"],
    [{ codexpath: "/bin/codex" }, "codexpath", "codexPath"],
    [{ approvals: { "item/commandExecution/requestAproval": () => undefined } }, "approvals.item/commandExecution/requestAproval", "item/commandExecution/requestApproval"],
    [{ clientInfo: { name: "a", version: "1", titel: "A" } }, "clientInfo.titel", "title"],
  ])("an unknown key %j says did you mean, at its path", (options, path, suggestion) => {
    const error = refusal(options);
    expect(error.method).toBe("Codex.start");
    expect(error.path).toBe(path);
    expect(error.issues[0]?.suggestion).toBe(suggestion);
    expect(error.message).toContain(`did you mean ${suggestion}?`);
    expect(error.message).toMatch(/nothing was sent$/);
  });

  it("an unknown key nothing is near to lists the known options", () => {
    expect(refusal({ zzzzzzzzzz: 1 }).message).toContain("known: clientInfo, experimentalApi, approvals");
  });

  it.each([
    [{ requestTimeoutMs: "5" }, "requestTimeoutMs", 'expected a number of milliseconds above 0, got the string "5"'],
    [{ initializeTimeoutMs: -1 }, "initializeTimeoutMs", "above 0"],
    [{ requestTimeoutMs: Number.NaN }, "requestTimeoutMs", "above 0"],
    [{ experimentalApi: "yes" }, "experimentalApi", "true or false"],
    [{ authCheck: 0 }, "authCheck", "true or false"],
    [{ approvals: { "item/fileChange/requestApproval": "accept" } }, "approvals.item/fileChange/requestApproval", "a function"],
    [{ approvals: [] }, "approvals", "got an array"],
    [{ handleServerRequest: {} }, "handleServerRequest", "a function"],
    [{ env: { CODEX_HOME: 3 } }, "env.CODEX_HOME", "a string"],
    [{ env: "CODEX_HOME=/x" }, "env", "environment variables"],
    [{ cwd: "" }, "cwd", "non-empty string"],
    [{ config: "model=x" }, "config", "an object"],
    [{ clientInfo: { name: "a" } }, "clientInfo.version", "non-empty string"],
    [{ scheduler: {} }, "scheduler", "SchedulerLike"],
    [{ transport: "ws://x" }, "transport", "a Transport"],
  ])("a value of the wrong type %j names its path and what it wants", (options, path, message) => {
    const error = refusal(options);
    expect(error.path).toBe(path);
    expect(error.message).toContain(message);
  });

  it("refuses the stdio-only options beside a transport (plain JavaScript passes them)", () => {
    const error = refusal({ transport: fakeAppServer().transport, env: { A: "b" }, cwd: "/tmp" });
    expect(error.issues.map((i) => i.path)).toEqual([["env"], ["cwd"]]);
    expect(error.message).toContain("env applies only when codex-rx spawns the binary");
  });

  it("reports every issue, the first in the message", () => {
    const error = refusal({ aprovals: {}, requestTimeoutMs: "5" });
    expect(error.issues).toHaveLength(2);
    expect(error.message).toContain("(+1 more)");
  });

  it.each([null, 42, "codex", [{}]])("refuses %j as the options object", (options) => {
    expect(refusal(options).message).toContain("expected an options object");
  });

  it("accepts every option with a value of its type, and undefined for any of them", () => {
    const stdio: CodexOptions = {
      codexPath: "/bin/codex", env: { CODEX_HOME: "/tmp" }, cwd: "/tmp", config: { model: "m" },
      clientInfo: { name: "app", version: "1.0.0", title: "App" }, experimentalApi: true,
      approvals: { "item/fileChange/requestApproval": () => ({ decision: "accept" }) }, handleServerRequest: () => undefined,
      requestTimeoutMs: 5, initializeTimeoutMs: 1_000, scheduler: new TestScheduler(() => undefined), authCheck: false,
    };
    expect(() => checkCodexOptions(stdio)).not.toThrow();
    expect(() => checkCodexOptions({ transport: fakeAppServer().transport, requestTimeoutMs: undefined, cwd: undefined })).not.toThrow();
    expect(() => checkCodexOptions(undefined)).not.toThrow();
    expect(() => checkCodexOptions({})).not.toThrow();
  });
});

describe("Codex.start with a bad option", () => {
  it("fails with InvalidInputError before it connects the transport", async () => {
    const inner = fakeAppServer().transport;
    let connects = 0;
    const transport: Transport = {
      get messages$() { return inner.messages$; },
      get closed() { return inner.closed; },
      connect: () => { connects += 1; return inner.connect(); },
      send: (message) => inner.send(message),
      close: () => inner.close(),
    };
    const options = { transport, expermentalApi: true } as unknown as CodexOptions;
    await expect(Codex.start(options)).rejects.toThrow("Codex.start input: expermentalApi: unknown option, did you mean experimentalApi?");
    expect(connects).toBe(0);
    // The same transport with the option spelt right connects: the count above could have moved.
    const codex = await Codex.start({ transport, experimentalApi: true });
    expect(connects).toBe(1);
    await codex.close();
  });
});
