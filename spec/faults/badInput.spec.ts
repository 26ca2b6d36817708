// Fault injection, the user gets it wrong: every bad input is refused locally with a typed error,
// and not one byte of it reaches the (real) app-server. Counted by a transport that counts writes.
import {
  ApprovalMode,
  CodexError,
  InvalidInputError,
  Sandbox,
  type Codex,
  type Input,
  type Thread,
  type ThreadStartOptions,
  type TurnOptions,
} from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { CountingTransport } from "../helpers/CountingTransport.js";
import { createHarness, type Harness } from "../integration/harness.js";
import { badInput, reportFaults } from "./faultTally.js";

let h: Harness;
let codex: Codex;
let wire: CountingTransport;
let thread: Thread;

beforeAll(async () => {
  h = await createHarness();
  wire = new CountingTransport(new StdioTransport({ env: h.home.env }));
  codex = await h.start({ transport: wire });
  thread = await codex.threadStart({ cwd: h.cwd });
});
afterAll(async () => {
  await h.dispose();
  reportFaults(import.meta.url);
});

/** Runs one bad call; returns its error and counts what it wrote. */
async function attempt(call: () => Promise<unknown>): Promise<unknown> {
  const before = wire.methods.length;
  const error = await call().then(
    () => new Error("the bad input was accepted"),
    (e: unknown) => e,
  );
  expect(badInput(wire.methods.length - before)).toBe(0);
  return error;
}

const badTurns: Array<[string, Input, TurnOptions | undefined]> = [
  ["a number as input", 42 as unknown as Input, undefined],
  ["null as input", null as unknown as Input, undefined],
  ["a number inside the input array", ["ok", 7] as unknown as Input, undefined],
  ["an input item with a typo", [{ type: "text", txt: "hi" }] as unknown as Input, undefined],
  ["an unknown turn option", "x", { modle: "m" } as unknown as TurnOptions],
  ["a bad sandboxPolicy type", "x", { sandboxPolicy: { type: "bogus" } } as unknown as TurnOptions],
  ["a preset that does not exist", "x", { approvalMode: "yolo" } as unknown as TurnOptions],
  ["a sandbox preset by its key", "x", { sandbox: "readOnly" } as unknown as TurnOptions],
  ["a signal that is not an AbortSignal", "x", { signal: { aborted: true } } as unknown as TurnOptions],
  ["bypass-everything with a read-only policy", "x", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandboxPolicy: { type: "readOnly" } }],
  ["bypass-everything with a workspace sandbox", "x", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox: Sandbox.workspace }],
  ["a sandbox preset contradicting sandboxPolicy", "x", { sandbox: Sandbox.fullAccess, sandboxPolicy: { type: "readOnly" } }],
  ["effort of the wrong type", "x", { effort: 3 } as unknown as TurnOptions],
  ["threadId among the options", "x", { threadId: "other" } as unknown as TurnOptions],
];

const badThreads: Array<[string, ThreadStartOptions]> = [
  ["an unknown thread option", { modle: "m" } as unknown as ThreadStartOptions],
  ["a sandbox mode that does not exist", { sandbox: "bogus" } as unknown as ThreadStartOptions],
  ["bypass-everything with a read-only sandbox", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox: Sandbox.readOnly }],
  ["an approval preset that does not exist", { approvalMode: "auto" } as unknown as ThreadStartOptions],
  ["a config that is not an object", { config: "model=x" } as unknown as ThreadStartOptions],
];

describe("fault injection: bad inputs never reach the server (real app-server)", () => {
  it.each(badTurns)("thread.run with %s fails with InvalidInputError and writes nothing", async (_what, input, options) => {
    const error = await attempt(() => thread.run(input, options));
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it.each(badThreads)("threadStart with %s fails with InvalidInputError and writes nothing", async (_what, options) => {
    const error = await attempt(() => codex.threadStart(options));
    expect(error).toBeInstanceOf(InvalidInputError);
  });

  it("codex.request with bad params fails with InvalidInputError and writes nothing", async () => {
    for (const [method, params] of [
      ["thread/list", { limt: 1 }],
      ["thread/read", { threadId: 5 }],
      ["model/list", { limit: -1 }],
      ["turn/interrupt", {}],
    ] as const) {
      const error = await attempt(() => codex.request(method, params as never));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error).toBeInstanceOf(CodexError);
    }
  });

  it("the client is still usable afterwards", async () => {
    expect((await thread.run("still fine")).finalResponse).toBe("echo: still fine");
  });
});
