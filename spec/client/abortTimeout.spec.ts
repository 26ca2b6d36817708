import { once } from "node:events";
import { lastValueFrom } from "rxjs";
import { abortErrorOf } from "../../src/errors/index.js";
import { AbortError, type Codex, type TurnHandle } from "../../src/index.js";
import type { FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex } from "../helpers/fakeCodex.js";

// A signal of AbortSignal.timeout() aborts with a DOMException named TimeoutError: every path that
// turns an abort into AbortError says "timed out" then, and keeps the reason as the cause.

const timeout = (): DOMException => new DOMException("The operation was aborted due to timeout", "TimeoutError");

describe("abortErrorOf", () => {
  it("says timed out for AbortSignal.timeout()'s own reason", async () => {
    const signal = AbortSignal.timeout(1);
    await once(signal, "abort");
    const error = abortErrorOf("turn t1", signal.reason);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.message).toBe("turn t1 timed out: The operation was aborted due to timeout");
    expect(error.cause).toBe(signal.reason);
  });

  it.each([
    ["a plain abort()", new AbortController(), undefined, "turn t1 was aborted"],
    ["an Error reason", new AbortController(), new Error("user pressed stop"), "turn t1 was aborted: user pressed stop"],
    ["a string reason", new AbortController(), "shutting down", "turn t1 was aborted: shutting down"],
  ])("says was aborted for %s, with the reason's own words when it has some", (_what, controller, reason, message) => {
    controller.abort(reason);
    expect(abortErrorOf("turn t1", controller.signal.reason).message).toBe(message);
  });

  it("puts the moment after the verb", () => {
    expect(abortErrorOf("the turn", timeout(), "before it started").message).toBe("the turn timed out before it started: The operation was aborted due to timeout");
  });
});

describe("a turn whose signal times out", () => {
  let server: FakeAppServer;
  let codex: Codex;
  beforeEach(async () => {
    ({ server, codex } = await fakeCodex());
  });
  afterEach(() => codex.close());

  async function timedOutTurn(): Promise<{ turn: TurnHandle; reason: DOMException }> {
    const thread = await codex.threadStart();
    server.enqueue({ hang: true, text: "never finished" });
    const controller = new AbortController();
    const turn = await thread.turn("long", { signal: controller.signal });
    const reason = timeout();
    controller.abort(reason);
    return { turn, reason };
  }

  const paths: Array<[string, (turn: TurnHandle) => Promise<unknown>]> = [
    ["run()", (turn) => turn.run()],
    ["result$", (turn) => lastValueFrom(turn.result$)],
    ["for await (… of turn)", async (turn) => { for await (const _ of turn) void _; }],
    ["turn.progress()", async (turn) => { for await (const _ of turn.progress()) void _; }],
  ];

  it.each(paths)("%s fails with an AbortError that says it timed out, the timeout as its cause", async (_path, consume) => {
    const { turn, reason } = await timedOutTurn();
    const error: unknown = await consume(turn).then(() => new Error("resolved"), (e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).message).toBe(`turn ${turn.id} timed out: The operation was aborted due to timeout`);
    expect((error as AbortError).cause).toBe(reason);
  });

  it("an already timed-out signal starts no turn and says so", async () => {
    const thread = await codex.threadStart();
    const controller = new AbortController();
    controller.abort(timeout());
    await expect(thread.run("x", { signal: controller.signal })).rejects.toThrow("the turn timed out before it started");
    expect(server.requests("turn/start")).toEqual([]);
  });

  it("a goal whose signal had already timed out is not set", async () => {
    const thread = await codex.threadStart();
    const controller = new AbortController();
    controller.abort(timeout());
    await expect(thread.runGoal("x", { signal: controller.signal })).rejects.toThrow("the goal timed out before it was set");
    expect(server.requests("thread/goal/set")).toEqual([]);
  });
});
