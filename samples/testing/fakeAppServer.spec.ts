// A test you can copy: your own code that drives Codex, tested against the in-memory fake
// app-server: no binary, no network, milliseconds per test. Run with `npm test` (it is part of this
// repo's suite); in your project, with jest + ts-jest like this repo.
import { TestScheduler } from "rxjs/testing";
import { Codex, TurnFailedError, type Thread } from "codex-rx";
import { fakeAppServer, turnStep } from "codex-rx/testing";

// The code under test: asks for a fix, approves only `npm test`, and reports what happened.
async function fixAndReport(thread: Thread): Promise<string> {
  try {
    const result = await thread.run("fix the failing test");
    const commands = result.items.filter((i) => i.type === "commandExecution").length;
    return `${result.finalResponse ?? "(no answer)"} after ${commands} command(s)`;
  } catch (error) {
    if (error instanceof TurnFailedError) return `failed: ${error.turnError?.message ?? "unknown"}`;
    throw error;
  }
}
const approvals = { "item/commandExecution/requestApproval": (p: { command?: string | null }) => ({ decision: p.command === "npm test" ? ("accept" as const) : ("decline" as const) }) };

describe("fixAndReport (fake app-server)", () => {
  it("reports the answer and the commands the model ran", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport, approvals });
    server.enqueue({ steps: [turnStep.approval("npm test"), turnStep.approval("rm -rf /")], text: "Fixed it" });

    expect(await fixAndReport(await codex.threadStart())).toBe("Fixed it after 2 command(s)");
    // What our handler answered, as the server saw it.
    expect(server.answers.map((a) => a.response)).toEqual([{ result: { decision: "accept" } }, { result: { decision: "decline" } }]);
  });

  it("reports a failed turn", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport, approvals });
    server.enqueue({ status: "failed", error: "usage limit reached" });
    expect(await fixAndReport(await codex.threadStart())).toBe("failed: usage limit reached");
  });

  it("runs in virtual time: a slow model costs the test nothing", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler, stepMs: 1_000 });
    const started = Codex.start({ transport: server.transport, approvals });
    await server.advance(); // moves the virtual clock until the fake has nothing left to do
    await using codex = await started;
    const thread = codex.threadStart();
    await server.advance();
    const report = fixAndReport(await thread);
    await server.advance();
    expect(await report).toBe("echo: fix the failing test after 0 command(s)");
    expect(scheduler.now()).toBeGreaterThanOrEqual(10_000); // ten virtual seconds went by
  });
});
