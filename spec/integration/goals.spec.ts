import { firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { AbortError, isNotification, type Codex, type Thread, type TurnHandle } from "../../src/index.js";
import { reply, type FakeReply, type ResponsesRequestBody } from "../../src/testing/index.js";
import { useHarness, type Harness } from "./harness.js";

// Goals on the real app-server: once a goal is set, the server starts turns by itself until the
// model calls update_goal {status: "complete"} (reply.completeGoal()), the goal is paused, blocked,
// out of budget, or cleared. Only the model is fake.
//
// Measured on 0.169.0 and 0.171.0 (what GoalHandle is built on):
// - thread/goal/set: the first thread/goal/updated (turnId null, active) and the set answer come in
//   either order; the first continuation's turn/started follows within milliseconds.
// - Each continuation: turn/started … thread/tokenUsage/updated, account/rateLimits/updated,
//   thread/goal/updated (with its turnId), thread/status/changed (idle), turn/completed. The goal
//   update comes BEFORE the turn's turn/completed.
// - update_goal {status: complete}: thread/goal/updated complete arrives at once, then the server
//   POSTs again with the tool output and the same turn goes on to its turn/completed; no turn follows.
// - Pause / resume / clear: the answer and the notification (thread/goal/updated paused|active,
//   thread/goal/cleared) come in either order; the turn in flight completes. Clearing twice answers
//   {cleared: false}. A failing turn makes the goal blocked (before its turn/completed failed).

let h: Harness;
let codex: Codex;
useHarness(
  (harness, client) => {
    h = harness;
    codex = client as Codex;
  },
  { startClient: true },
);

/**
 * The model's answers for the goal whose objective contains `objective`: `answer(n)` for its n-th
 * (0-based) request. Requests of any other thread (a goal an earlier test left behind) get a plain
 * text, so tests never take each other's replies.
 */
function script(objective: string, answer: (n: number, request: ResponsesRequestBody) => FakeReply): void {
  let n = 0;
  h.fake.respond = (request) => (JSON.stringify(request).includes(objective) ? answer(n++, request) : reply.text("unscripted"));
}

/** Threads whose goals are cleared after each test, so that none keeps running in the background. */
const goalThreads: Thread[] = [];
async function newThread(): Promise<Thread> {
  const thread = await codex.threadStart({ cwd: h.cwd });
  goalThreads.push(thread);
  return thread;
}
afterEach(async () => {
  await Promise.all(goalThreads.splice(0).map((t) => t.clearGoal()));
});

/** A model that completes the goal on its third turn: two text turns, then update_goal + a closing text. */
function completeOnThirdTurn(n: number): FakeReply {
  if (n === 2) return reply.completeGoal();
  return reply.text(n === 3 ? "Goal complete." : `step ${n + 1}`);
}

/** A slow text answer, so that a pause / clear / abort lands while its turn runs. */
const slow = (): FakeReply => reply.text("working on it", { deltas: 5, delayMs: 60 });

describe("goals on the real app-server", () => {
  it("a goal that completes on its third turn: three continuation turns, then nothing", async () => {
    script("Write three haikus", completeOnThirdTurn);
    const thread = await newThread();
    const threadTurns = lastValueFrom(thread.turns$.pipe(take(3), toArray()));
    const goal = await thread.runGoal("Write three haikus", { tokenBudget: 100_000 });
    const result = await goal.run();

    expect(result.status).toBe("complete");
    expect(result.goal).toMatchObject({ status: "complete", objective: "Write three haikus", tokenBudget: 100_000 });
    expect(result.turns.map((t) => t.status)).toEqual(["completed", "completed", "completed"]);
    expect(result.turns.map((t) => t.finalResponse)).toEqual(["step 1", "step 2", "Goal complete."]);
    expect(result.usage.totalTokens).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThan(0);

    // The goal's handles are thread.turns$'s, one per turn, each replaying its own turn.
    const handles = await lastValueFrom(goal.turns$.pipe(toArray()));
    expect(handles.map((t) => t.id)).toEqual(result.turns.map((t) => t.id));
    expect(await threadTurns).toEqual(handles);
    const third = await (handles[2] as TurnHandle).run();
    expect(third.finalResponse).toBe("Goal complete.");
    expect(third.items.some((i) => i.type === "agentMessage")).toBe(true);

    // events$: the first update (sent before the set response) is there; it ends after the last turn.
    const events = await lastValueFrom(goal.events$.pipe(toArray()));
    expect(events[0]).toMatchObject({ method: "thread/goal/updated", params: { goal: { status: "active" } } });
    expect(events[events.length - 1]).toMatchObject({ method: "turn/completed", params: { turn: { id: result.turns[2]?.id } } });
    const statuses = (await lastValueFrom(goal.goal$.pipe(toArray()))).map((g) => g?.status);
    expect(statuses[0]).toBe("active");
    expect(statuses.at(-1)).toBe("complete");
    expect(statuses.slice(0, -1).every((s) => s === "active")).toBe(true);
    expect(await thread.goal()).toMatchObject({ status: "complete" });

    // Nothing followed: the next turn on the thread is ours, and the thread holds exactly 4.
    await thread.run("anything else?");
    const { turns } = await thread.read({ includeTurns: true });
    expect(turns).toHaveLength(4);
  });

  it("pause stops the continuations after the turn in flight; resume starts them again", async () => {
    script("Keep going until told", slow);
    const thread = await newThread();
    const goal = await thread.runGoal("Keep going until told");
    const first = await firstValueFrom(goal.turns$);
    expect(await goal.pause()).toMatchObject({ status: "paused" });
    const paused = await goal.run();
    expect(paused.status).toBe("paused");
    expect(paused.turns.map((t) => t.id)).toEqual([first.id]);
    expect(paused.turns[0]?.status).toBe("completed");
    expect(await thread.goal()).toMatchObject({ status: "paused" });
    expect(await goal.run()).toEqual(paused);

    script("Keep going until told", (n) => (n === 0 ? reply.completeGoal() : reply.text("resumed and done")));
    expect(await goal.resume()).toMatchObject({ status: "active" });
    const done = await goal.run();
    expect(done.status).toBe("complete");
    expect(done.turns).toHaveLength(2);
    expect(done.turns[0]?.id).toBe(first.id);
    expect(done.turns[1]?.finalResponse).toBe("resumed and done");
  });

  it("clear removes the goal: the turn in flight completes, run() resolves cleared", async () => {
    script("Something long", slow);
    const thread = await newThread();
    const goal = await thread.runGoal("Something long");
    await firstValueFrom(goal.turns$);
    expect(await goal.clear()).toBe(true);
    const result = await goal.run();
    expect(result.status).toBe("cleared");
    expect(result.turns).toHaveLength(1);
    expect(result.goal).toMatchObject({ objective: "Something long" });
    expect(await thread.goal()).toBeNull();
    expect(await firstValueFrom(thread.goal$)).toBeNull();
    expect(await thread.clearGoal()).toBe(false);
    expect((await lastValueFrom(goal.goal$.pipe(toArray()))).at(-1)).toBeNull();
  });

  it("a token budget stops the goal as budgetLimited", async () => {
    script("Spend tokens", () => reply.text("a step", { usage: { inputTokens: 10, outputTokens: 2 } }));
    const thread = await newThread();
    const goal = await thread.runGoal("Spend tokens", { tokenBudget: 30 });
    const result = await goal.run();
    expect(result.status).toBe("budgetLimited");
    expect(result.goal?.tokensUsed).toBeGreaterThanOrEqual(30);
    expect(result.turns.length).toBeGreaterThanOrEqual(2);
    expect(result.turns.every((t) => t.status === "completed")).toBe(true);
    expect(result.usage.totalTokens).toBe(12 * result.turns.length);
  });

  it("an aborted signal pauses the goal, interrupts its turn, and run() fails with AbortError", async () => {
    script("Never ending", () => reply.text("a long answer that takes its time", { deltas: 40, delayMs: 50 }));
    const thread = await newThread();
    const controller = new AbortController();
    const goal = await thread.runGoal("Never ending", { signal: controller.signal });
    const turn = await firstValueFrom(goal.turns$);
    await firstValueFrom(turn.progress$.pipe(take(3), toArray()));
    controller.abort();
    await expect(goal.run()).rejects.toBeInstanceOf(AbortError);
    expect((await turn.run()).status).toBe("interrupted");
    expect(await thread.goal()).toMatchObject({ status: "paused" });
    const events = await lastValueFrom(goal.events$.pipe(toArray()));
    expect(events.filter((n) => n.method === "turn/started")).toHaveLength(1);
    await expect(thread.runGoal("too late", { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
  });

  it("a turn that fails inside a goal is in the result, typed; the goal is blocked", async () => {
    script("Fail on the second turn", (n) => (n === 1 ? reply.httpError(400, { error: { message: "model exploded", type: "invalid_request_error" } }) : reply.text(`step ${n + 1}`)));
    const thread = await newThread();
    const goal = await thread.runGoal("Fail on the second turn");
    const result = await goal.run();
    expect(result.status).toBe("blocked");
    expect(result.turns.map((t) => t.status)).toEqual(["completed", "failed"]);
    expect(result.turns[1]?.error?.message).toContain("model exploded");
    await thread.clearGoal();
  });

  it("runs goals on two threads at once, each with its own turns", async () => {
    const turnsOf = new Map<string, number>();
    script("objective", (_, request) => {
      const body = JSON.stringify(request);
      const key = body.includes("alpha objective") ? "alpha" : body.includes("beta objective") ? "beta" : "other";
      const n = turnsOf.get(key) ?? 0;
      turnsOf.set(key, n + 1);
      const completeAt = key === "alpha" ? 1 : 2;
      if (n === completeAt) return reply.completeGoal();
      return reply.text(n > completeAt ? `${key} done` : `${key} ${n + 1}`, { deltas: 3, delayMs: 10 });
    });
    const [a, b] = await Promise.all([newThread(), newThread()]);
    const [goalA, goalB] = await Promise.all([a.runGoal("the alpha objective"), b.runGoal("the beta objective")]);
    const [ra, rb] = await Promise.all([goalA.run(), goalB.run()]);
    expect(turnsOf.get("other")).toBeUndefined();
    expect(ra.status).toBe("complete");
    expect(rb.status).toBe("complete");
    expect(ra.turns.map((t) => t.finalResponse)).toEqual(["alpha 1", "alpha done"]);
    expect(rb.turns.map((t) => t.finalResponse)).toEqual(["beta 1", "beta 2", "beta done"]);
    const idsA = new Set(ra.turns.map((t) => t.id));
    expect(rb.turns.some((t) => idsA.has(t.id))).toBe(false);
    const eventsB = await lastValueFrom(goalB.events$.pipe(toArray()));
    expect(eventsB.every((n) => !("threadId" in (n.params as object)) || (n.params as { threadId: string }).threadId === b.id)).toBe(true);
  });

  it("thread.turns$ shows a turn started by thread.turn() as the very handle turn() returns", async () => {
    h.fake.respond = () => reply.text("hello");
    const thread = await newThread();
    const seen = firstValueFrom(thread.turns$);
    const turn = await thread.turn("hi");
    expect(await seen).toBe(turn);
    await turn.run();
  });

  it("thread.goal$ is the current goal, then every update", async () => {
    script("Three turns", completeOnThirdTurn);
    const thread = await newThread();
    expect(await firstValueFrom(thread.goal$)).toBeNull();
    const statuses: (string | null)[] = [];
    const sub = thread.goal$.subscribe((g) => statuses.push(g?.status ?? null));
    const goal = await thread.runGoal("Three turns");
    await goal.run();
    sub.unsubscribe();
    expect(statuses[0]).toBeNull();
    expect(statuses.at(-1)).toBe("complete");
    expect(statuses.filter((s) => s === "active").length).toBeGreaterThanOrEqual(1);
    const updates = (await lastValueFrom(goal.events$.pipe(toArray()))).filter((n) => isNotification(n, "thread/goal/updated"));
    expect(updates).toHaveLength(statuses.length - 1);
  });
});
