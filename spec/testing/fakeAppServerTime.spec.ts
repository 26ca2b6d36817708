import { filter, map } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { Codex, ofMethod, type ProtocolError } from "../../src/index.js";
import { fakeAppServer, turnStep } from "../../src/testing/index.js";
import { marbles, recordFrames } from "../helpers/virtualMarbles.js";

// The fake app-server's clock (shared with the client's on a TestScheduler) and its shutdown.

describe("fakeAppServer in virtual time", () => {
  it("spaces a turn's notifications by stepMs and deltaDelayMs on a TestScheduler", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler, stepMs: 5 });
    const started = Codex.start({ transport: server.transport });
    await server.advance();
    const codex = await started;
    const threadP = codex.threadStart();
    await server.advance();
    const thread = await threadP;
    server.enqueue({ text: "a b c", deltaDelayMs: 10, steps: [turnStep.wait(100)] });
    const t0 = scheduler.now();
    const deltas = recordFrames(codex.notifications$.pipe(ofMethod("item/agentMessage/delta"), map((n) => n.params.delta)), scheduler, t0);
    const runP = thread.run("x");
    await server.advance();
    expect((await runP).finalResponse).toBe("a b c");
    // response at 0, status 5, turn/started 10, user item 15 and 20, wait → 120, agent item 125, deltas every 10 ms.
    expect(deltas.messages).toEqual(marbles("135ms a 9ms b 9ms c", { a: "a ", b: "b ", c: "c" }));
    deltas.subscription.unsubscribe();
    await codex.close();
  });

  it("keeps the answer back for latencyMs and holds a turn at an approval until the client answers", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler, latencyMs: 50 });
    let answer: (decision: "accept") => void = () => undefined;
    const started = Codex.start({
      transport: server.transport,
      approvals: { "item/commandExecution/requestApproval": () => new Promise((resolve) => (answer = (decision) => resolve({ decision }))) },
    });
    await server.advance();
    const codex = await started;
    expect(scheduler.now()).toBe(50);
    const threadP = codex.threadStart();
    await server.advance();
    const thread = await threadP;
    server.enqueue({ steps: [turnStep.approval("deploy")] });
    const statuses = recordFrames(codex.notifications$.pipe(filter((n) => n.method === "turn/completed")), scheduler);
    const runP = thread.run("deploy it");
    await server.advance(1000);
    expect(statuses.messages).toEqual([]);
    expect(server.answers).toEqual([]);
    answer("accept");
    await server.advance();
    const result = await runP;
    expect(result.items.find((i) => i.type === "commandExecution")).toMatchObject({ status: "completed" });
    expect(server.answers[0]?.response).toEqual({ result: { decision: "accept" } });
    // Recorded from 100 (two answers of 50 ms); the turn waited at the approval until the clock reached 1100.
    expect(statuses.messages.map((m) => m.frame)).toEqual([1000]);
    await codex.close();
  });

  it("shares its clock with the client: a request timeout fires at the virtual deadline", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler, latencyMs: 500 });
    const started = Codex.start({ transport: server.transport, scheduler, requestTimeoutMs: 100 });
    await server.advance();
    const codex = await started;
    const errors: ProtocolError[] = [];
    codex.protocolErrors$.subscribe((e) => errors.push(e));
    const t0 = scheduler.now();
    const models = codex.models().catch((error: unknown) => ({ error, at: scheduler.now() - t0 }));
    await server.advance();
    expect(await models).toMatchObject({ error: { name: "RequestTimeoutError" }, at: 100 });
    // The late answer (at 500) was dropped quietly: no protocol error.
    expect(scheduler.now() - t0).toBe(500);
    expect(errors).toEqual([]);
    await codex.close();
  });
});

describe("fakeAppServer shutdown", () => {
  it("fails a server request the client never answered when the connection closes", async () => {
    const server = fakeAppServer();
    const codex = await Codex.start({
      transport: server.transport,
      approvals: { "item/commandExecution/requestApproval": () => new Promise<never>(() => undefined) },
    });
    const asked = server.request("item/commandExecution/requestApproval", { threadId: "t", turnId: "u", itemId: "i", startedAtMs: 0 });
    await new Promise((r) => setImmediate(r));
    await codex.close();
    await expect(asked).rejects.toThrow(/closed before the client answered/);
    expect(server.answers).toEqual([]);
  });
});
