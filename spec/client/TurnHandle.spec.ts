import { distinctUntilChanged, lastValueFrom, map, toArray } from "rxjs";
import { isNotification, ofMethod, type Codex, type Notification } from "../../src/index.js";
import { InvalidRequestError } from "../../src/index.js";
import type { FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex, virtualCodex } from "../helpers/fakeCodex.js";
import { marbles, recordFrames } from "../helpers/virtualMarbles.js";

// TurnHandle over the in-memory fake app-server.

let server: FakeAppServer;
let codex: Codex;
beforeEach(async () => {
  ({ server, codex } = await fakeCodex());
});
afterEach(() => codex.close());

const methods = (events: readonly Notification[]): string[] => events.map((n) => n.method);

describe("TurnHandle.events$", () => {
  it("replays the whole turn to a subscriber that comes after it completed, then completes", async () => {
    const thread = await codex.threadStart();
    const turn = await thread.turn("hi");
    await turn.run();
    const late = await lastValueFrom(turn.events$.pipe(toArray()));
    // Thread-scoped notifications (status, rate limits) are not the turn's: it keeps those with its id.
    expect(methods(late)).toEqual([
      "turn/started",
      "item/started",
      "item/completed",
      "item/started",
      "item/agentMessage/delta",
      "item/agentMessage/delta",
      "item/completed",
      "thread/tokenUsage/updated",
      "turn/completed",
    ]);
    // A second late subscriber gets the same, and the result is still there.
    expect(await lastValueFrom(turn.events$.pipe(toArray()))).toEqual(late);
    expect((await turn.run()).finalResponse).toBe("echo: hi");
  });

  it("gives a mid-turn subscriber what it missed at once, then the rest as it comes (virtual time)", async () => {
    const v = await virtualCodex({ stepMs: 10 });
    const thread = await v.settle(v.codex.threadStart());
    v.server.enqueue({ text: "a b", deltaDelayMs: 100 });
    const turn = await v.settle(thread.turn("x"), 0);
    // response 0, status 10, turn/started 20, user item 30/40, agent item 50, deltas 150 and 250.
    await v.server.advance(200);
    const deltas = recordFrames(turn.events$.pipe(ofMethod("item/agentMessage/delta"), map((n) => n.params.delta)), v.scheduler);
    await v.settle(turn.run());
    // The first delta (at 150) replays at subscription (frame 0 = 200), the second arrives at 250,
    // then the item completes (260), usage (270), status (280), turn/completed (290).
    expect(deltas.messages).toEqual(marbles("a 49ms b 39ms |", { a: "a ", b: "b" }));
    await v.codex.close();
  });
});

describe("TurnHandle.progress$", () => {
  it("emits a snapshot per event: the text grows delta by delta in virtual time", async () => {
    const v = await virtualCodex();
    const thread = await v.settle(v.codex.threadStart());
    v.server.enqueue({ text: "one two three", deltaDelayMs: 20 });
    const turn = await v.settle(thread.turn("count"), 0);
    const texts = recordFrames(
      turn.progress$.pipe(
        map((s) => s.text),
        distinctUntilChanged(),
      ),
      v.scheduler,
    );
    await v.settle(turn.run());
    expect(texts.messages).toEqual(marbles("a 19ms b 19ms c 19ms (d|)", { a: "", b: "one ", c: "one two ", d: "one two three" }));
    const last = await lastValueFrom(turn.progress$);
    expect(last).toMatchObject({ completed: true, status: "completed", text: "one two three" });
    await v.codex.close();
  });

  it("result$ is one TurnResult, then complete", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ text: "done", usage: { input: 7, output: 1 } });
    const turn = await thread.turn("x");
    const results = await lastValueFrom(turn.result$.pipe(toArray()));
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: turn.id, status: "completed", finalResponse: "done", usage: { last: { inputTokens: 7, outputTokens: 1 } } });
  });

  it("iterates the turn's events with for await", async () => {
    const thread = await codex.threadStart();
    const turn = await thread.turn("a b");
    let text = "";
    for await (const event of turn) if (isNotification(event, "item/agentMessage/delta")) text += event.params.delta;
    expect(text).toBe("echo: a b");
  });
});

describe("TurnHandle.interrupt and steer", () => {
  it("interrupt() stops a running turn: it completes interrupted and the thread goes on", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ hang: true, text: "endless" });
    const turn = await thread.turn("go on forever");
    await turn.interrupt();
    const result = await turn.run();
    expect(result.status).toBe("interrupted");
    expect(server.requests("turn/interrupt").map((r) => r.params)).toEqual([{ threadId: thread.id, turnId: turn.id }]);
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
  });

  it("interrupt() waits for turn/started before asking (the server refuses earlier), in virtual time", async () => {
    const v = await virtualCodex({ stepMs: 30 });
    const thread = await v.settle(v.codex.threadStart());
    v.server.enqueue({ hang: true });
    const turn = await v.settle(thread.turn("x"), 0);
    const letters: Record<string, string> = { "turn/started": "s", "item/started": "i", "thread/tokenUsage/updated": "u", "turn/completed": "c" };
    const events = recordFrames(turn.events$.pipe(map((n) => letters[n.method] ?? "?")), v.scheduler);
    await v.settle(turn.interrupt());
    // status 30, turn/started 60: the interrupt goes out then, so the user message (due at 90) never
    // comes; the server's interrupt sequence sends usage at 90 and turn/completed at 150.
    expect(events.messages).toEqual(marbles("60ms s 29ms u 59ms (c|)", { s: "s", u: "u", c: "c" }));
    expect((await v.settle(turn.run())).status).toBe("interrupted");
    expect(v.protocolErrors).toEqual([]);
    await v.codex.close();
  });

  it("interrupt() on a finished turn sends nothing", async () => {
    const thread = await codex.threadStart();
    const turn = await thread.turn("x");
    await turn.run();
    await turn.interrupt();
    expect(server.requests("turn/interrupt")).toEqual([]);
  });

  it("steer() adds input to the running turn, guarded by its id; the turn answers it", async () => {
    const thread = await codex.threadStart();
    server.enqueue({ hang: true, text: "never finished" });
    const turn = await thread.turn("start");
    await turn.steer("focus on tests");
    expect(server.requests("turn/steer").map((r) => r.params)).toEqual([
      { threadId: thread.id, expectedTurnId: turn.id, input: [{ type: "text", text: "focus on tests", text_elements: [] }] },
    ]);
    // As on the real server: the unfinished answer is dropped, the steer is a user message, a new answer follows.
    const result = await turn.run();
    expect(result.finalResponse).toBe("echo: focus on tests");
    expect(result.items.map((i) => i.type)).toEqual(["userMessage", "userMessage", "agentMessage"]);
    await expect(turn.steer("too late")).rejects.toThrow(InvalidRequestError);
  });
});
