import { TestScheduler } from "rxjs/testing";
import { map, reduce, scan } from "rxjs";
import { initialTurnState, turnReducer, type TurnState } from "../../src/routing/turnReducer.js";
import { finalResponseOf, toTurnResult, type TurnResult } from "../../src/client/TurnResult.js";
import { TurnFailedError, TurnIncompleteError } from "../../src/errors/index.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { agentMessage, delta, itemCompleted, itemStarted, tokenUsage, turnCompleted, turnStarted, userMessage, wholeTurn } from "../helpers/events.js";
import { errorNotification } from "../../src/testing/builders.js";

const fold = (events: Notification[]): TurnState => events.reduce(turnReducer, initialTurnState);

describe("turnReducer", () => {
  it("folds a whole turn into its final state", () => {
    const state = fold(wholeTurn("th", "A", ["Hel", "lo", "!"]));
    expect(state).toMatchObject({
      turnId: "A",
      threadId: "th",
      status: "completed",
      error: null,
      startedAt: 1795526024,
      completedAt: 1795526025,
      durationMs: 420,
      text: "Hello!",
      completed: true,
      eventCount: 10,
      inProgress: {},
    });
    expect(state.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
    expect(state.usage?.total.outputTokens).toBe(3);
  });

  it("accumulates streamed text per agent message and resets for the next one", () => {
    const s1 = fold([turnStarted("th", "A"), itemStarted("th", "A", agentMessage("m1", "")), delta("th", "A", "m1", "a"), delta("th", "A", "m1", "b")]);
    expect(s1.text).toBe("ab");
    expect(Object.keys(s1.inProgress)).toEqual(["m1"]);
    const s2 = [itemCompleted("th", "A", agentMessage("m1", "ab", "commentary")), delta("th", "A", "m2", "c")].reduce(turnReducer, s1);
    expect(s2.text).toBe("c");
    expect(s2.textItemId).toBe("m2");
    expect(s2.inProgress).toEqual({});
  });

  it("never mutates the state it is given", () => {
    const before = fold([turnStarted("th", "A"), itemStarted("th", "A", agentMessage("m1", ""))]);
    const snapshot = JSON.parse(JSON.stringify(before)) as unknown;
    turnReducer(before, itemCompleted("th", "A", agentMessage("m1", "x")));
    turnReducer(before, delta("th", "A", "m1", "y"));
    expect(before).toEqual(snapshot);
    expect(Object.isFrozen(initialTurnState)).toBe(true);
  });

  it("ignores events of another turn once its own id is known", () => {
    const state = fold([turnStarted("th", "A"), delta("th", "B", "m", "intruder"), turnCompleted("th", "B", "failed")]);
    expect(state.text).toBe("");
    expect(state.status).toBe("inProgress");
    expect(state.eventCount).toBe(1);
  });

  it("counts unknown methods without failing", () => {
    expect(fold([turnStarted("th", "A"), { method: "future/x", params: { turnId: "A" } }]).eventCount).toBe(2);
  });

  it("closes out items still running when the turn ends (no item/completed comes for them)", () => {
    const state = fold([turnStarted("th", "A"), itemStarted("th", "A", agentMessage("m1", "")), delta("th", "A", "m1", "half an ans"), turnCompleted("th", "A", "interrupted")]);
    expect(state.inProgress).toEqual({});
    expect(state.unfinished.map((i) => i.id)).toEqual(["m1"]);
    expect(state.text).toBe("half an ans");
  });

  it("accumulates command output per item", () => {
    const out = (itemId: string, d: string): Notification => ({ method: "item/commandExecution/outputDelta", params: { threadId: "th", turnId: "A", itemId, delta: d } });
    const state = fold([turnStarted("th", "A"), out("c1", "hel"), out("c2", "x"), out("c1", "lo\n")]);
    expect(state.commandOutput).toEqual({ c1: "hello\n", c2: "x" });
  });

  it("keeps the answer so far by the finalResponse rule, never commentary", () => {
    const s1 = fold([turnStarted("th", "A"), itemCompleted("th", "A", agentMessage("m1", "Let me look…", "commentary"))]);
    expect(s1.finalResponse).toBeNull();
    expect(s1.text).toBe("Let me look…");
    const s2 = turnReducer(s1, itemCompleted("th", "A", agentMessage("m2", "42", "final_answer")));
    expect(s2.finalResponse).toBe("42");
  });

  it("records the failure of a failed turn", () => {
    const state = fold([turnStarted("th", "A"), turnCompleted("th", "A", "failed", { message: "model exploded" })]);
    expect(state.status).toBe("failed");
    expect(state.error?.message).toBe("model exploded");
  });
});

describe("toTurnResult", () => {
  it("gives the TurnResult of a completed turn", () => {
    const result = toTurnResult(fold(wholeTurn("th", "A", ["Hi"])));
    expect(result).toEqual({
      id: "A",
      status: "completed",
      error: null,
      startedAt: 1795526024,
      completedAt: 1795526025,
      durationMs: 420,
      finalResponse: "Hi",
      items: [userMessage("u_A", "hi"), agentMessage("msg_A", "Hi", "final_answer")],
      usage: tokenUsage("th", "A", 10, 1).params.tokenUsage,
      errors: [],
      structuredOutput: null,
      review: null,
    });
  });

  it("returns an interrupted turn (it is not an error)", () => {
    expect(toTurnResult(fold([turnStarted("th", "A"), turnCompleted("th", "A", "interrupted")])).status).toBe("interrupted");
  });

  it("throws TurnFailedError carrying the server's error for a failed turn", () => {
    const run = () => toTurnResult(fold([turnStarted("th", "A"), turnCompleted("th", "A", "failed", { message: "HTTP 400: bad" })]));
    expect(run).toThrow(TurnFailedError);
    expect(run).toThrow("turn A failed: HTTP 400: bad");
  });

  it("throws TurnIncompleteError when turn/completed never came, never an empty result", () => {
    expect(() => toTurnResult(initialTurnState)).toThrow(TurnIncompleteError);
    expect(() => toTurnResult(fold([turnStarted("th", "A"), delta("th", "A", "m", "x")]))).toThrow("turn A ended without turn/completed");
  });
});

describe("finalResponseOf", () => {
  it("prefers the last final_answer message", () => {
    expect(finalResponseOf([agentMessage("1", "final", "final_answer"), agentMessage("2", "late note", "commentary"), agentMessage("3", "none")])).toBe("final");
  });
  it("falls back to the last phase-less message, never commentary", () => {
    expect(finalResponseOf([agentMessage("1", "a"), agentMessage("2", "b"), agentMessage("3", "c", "commentary")])).toBe("b");
  });
  it("is null without agent messages", () => {
    expect(finalResponseOf([userMessage("u", "hi"), agentMessage("c", "x", "commentary")])).toBeNull();
  });
});

describe("turnReducer with reduce and scan (marbles)", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  const events = wholeTurn("th", "A", ["He", "llo"]);
  const values: Record<string, Notification> = Object.fromEntries(events.map((e, i) => ["abcdefghij"[i] as string, e]));

  it("reduce + toTurnResult emits one TurnResult when the turn's stream completes", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("  -a-b-c-d-e-f-g-h-i-|", values);
      const subs = "         ^------------------!";
      const expected = "     -------------------(r|)";
      const result: TurnResult = toTurnResult(fold(events));
      expectObservable(source.pipe(reduce(turnReducer, initialTurnState), map(toTurnResult))).toBe(expected, { r: result });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("scan emits a snapshot per event with the text streamed so far", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold("  -d-e-f-|", values);
      const expected = "     -x-y-z-|";
      const texts = source.pipe(
        scan(turnReducer, initialTurnState),
        map((s) => s.text),
      );
      expectObservable(texts).toBe(expected, { x: "", y: "He", z: "Hello" });
    });
  });

  it("reduce fails with TurnIncompleteError when the stream ends early", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold("  -a-b-|", values);
      expectObservable(source.pipe(reduce(turnReducer, initialTurnState), map(toTurnResult))).toBe("-----#", undefined, new TurnIncompleteError("A"));
    });
  });

  it("passes an error of the stream through (e.g. the transport died)", () => {
    testScheduler.run(({ cold, expectObservable }) => {
      const source = cold("  -a-#", values, new Error("died"));
      expectObservable(source.pipe(scan(turnReducer, initialTurnState), map((s) => s.eventCount))).toBe("-x-#", { x: 1 }, new Error("died"));
    });
  });

  it("stops folding on early unsubscribe", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("  -a-b-c-d-|", values);
      const unsub = "        ^--!";
      expectObservable(source.pipe(scan(turnReducer, initialTurnState), map((s) => s.eventCount)), unsub).toBe("-x--", { x: 1 });
      expectSubscriptions(source.subscriptions).toBe("^--!");
    });
  });
});

describe("turnReducer: errors", () => {
  const retry1 = errorNotification("th", "A", "Reconnecting... 1/2", true);
  const retry2 = errorNotification("th", "A", "Reconnecting... 2/2", true);
  const fatal = errorNotification("th", "A", "stream disconnected", false, null);

  it("keeps every error notification of the turn, in order, with willRetry", () => {
    const state = fold([turnStarted("th", "A"), retry1, delta("th", "A", "m1", "x"), retry2, fatal, turnCompleted("th", "A", "failed")]);
    expect(state.errors).toEqual([retry1.params, retry2.params, fatal.params]);
    expect(state.errors.map((e) => e.willRetry)).toEqual([true, true, false]);
    expect(state.eventCount).toBe(6);
  });

  it("ignores the errors of another turn and starts empty", () => {
    expect(initialTurnState.errors).toEqual([]);
    expect(fold([turnStarted("th", "A"), errorNotification("th", "B", "other", true)]).errors).toEqual([]);
  });

  it("hands the errors to TurnResult", () => {
    const result = toTurnResult(fold([...wholeTurn("th", "A", ["ok"]).slice(0, -1), retry1, turnCompleted("th", "A")]));
    expect(result.errors).toEqual([retry1.params]);
    expect(toTurnResult(fold(wholeTurn("th", "A", ["ok"]))).errors).toEqual([]);
  });

  it("shows each retry in the live snapshots as it happens (marble)", () => {
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold("s-r-d-R-c|", { s: turnStarted("th", "A"), r: retry1, d: delta("th", "A", "m1", "x"), R: retry2, c: turnCompleted("th", "A") });
      const subs = "       ^--------!";
      const expected = "   a-b-c-d-e|";
      const counts = source.pipe(
        scan(turnReducer, initialTurnState),
        map((s) => s.errors.map((e) => e.error.message).join(",")),
      );
      expectObservable(counts).toBe(expected, {
        a: "",
        b: "Reconnecting... 1/2",
        c: "Reconnecting... 1/2",
        d: "Reconnecting... 1/2,Reconnecting... 2/2",
        e: "Reconnecting... 1/2,Reconnecting... 2/2",
      });
      expectSubscriptions(source.subscriptions).toBe(subs);
    });
  });

  it("keeps the delta hot path's state shape (errors carried over, not copied)", () => {
    const before = fold([turnStarted("th", "A"), retry1]);
    const after = turnReducer(before, delta("th", "A", "m1", "x"));
    expect(after.errors).toBe(before.errors);
    expect(Object.keys(after)).toEqual(Object.keys(initialTurnState));
  });
});
