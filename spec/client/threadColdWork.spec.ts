import { firstValueFrom, lastValueFrom, scan, takeLast, toArray } from "rxjs";
import { Codex, InvalidInputError, TurnFailedError, initialTurnState, ofMethod, turnReducer } from "../../src/index.js";
import { fakeAppServer } from "../../src/testing/index.js";

describe("thread.run$ / turn$ / review on the fake app-server", () => {
  it("run$ starts a turn per subscription and emits its result", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    const run$ = thread.run$("hi");
    expect(server.requests("turn/start")).toHaveLength(0);
    const [a, b] = await Promise.all([firstValueFrom(run$), firstValueFrom(run$)]);
    expect([a.finalResponse, b.finalResponse]).toEqual(["echo: hi", "echo: hi"]);
    expect(a.id).not.toBe(b.id);
  });

  it("run$ fails like run()", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    server.enqueue({ status: "failed", error: "usage limit" });
    await expect(firstValueFrom(thread.run$("x"))).rejects.toBeInstanceOf(TurnFailedError);
    await expect(firstValueFrom(thread.run$(42 as never))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("run$ unsubscribed before turn/start answered interrupts the turn once it has started", async () => {
    const server = fakeAppServer({ latencyMs: 20 });
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    server.enqueue({ hang: true });
    const completed = firstValueFrom(codex.notifications$.pipe(ofMethod("turn/completed")));
    const sub = thread.run$("long").subscribe();
    sub.unsubscribe();
    expect((await completed).params.turn.status).toBe("interrupted");
    expect(server.requests("turn/interrupt")).toHaveLength(1);
  });

  it("turn$ emits the turn's events and completes; scan(turnReducer) gives the live text", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    server.enqueue({ text: "a b c", deltas: ["a ", "b ", "c"] });
    const last = await lastValueFrom(thread.turn$("x").pipe(scan(turnReducer, initialTurnState), takeLast(1)));
    expect(last.text).toBe("a b c");
    const methods = await lastValueFrom(thread.turn$("y").pipe(toArray()));
    expect(methods.at(-1)?.method).toBe("turn/completed");
  });

  it("review resolves the review turn's handle; its result carries the review text", async () => {
    const server = fakeAppServer();
    server.reviews = (target) => (target.type === "baseBranch" ? `looks fine against ${target.branch}` : "?");
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    const review = await thread.review({ type: "baseBranch", branch: "main" });
    expect(review.threadId).toBe(thread.id);
    const result = await review.run();
    expect(result.review).toBe("looks fine against main");
    expect(result.items.map((i) => i.type)).toEqual(["userMessage", "enteredReviewMode", "exitedReviewMode", "agentMessage"]);
    expect(server.requests("review/start")[0]?.params).toEqual({ threadId: thread.id, target: { type: "baseBranch", branch: "main" } });
    expect((await thread.run("plain")).review).toBeNull();
  });

  it("review refuses an unknown target with a suggestion, before anything is sent", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport });
    const thread = await codex.threadStart();
    await expect(thread.review({ type: "uncommitedChanges" } as never)).rejects.toThrow(/did you mean "uncommittedChanges"/);
    await expect(thread.review({ type: "baseBranch" } as never)).rejects.toBeInstanceOf(InvalidInputError);
    expect(server.requests("review/start")).toEqual([]);
  });
});
