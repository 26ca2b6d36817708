import { readFileSync } from "node:fs";
import { TestScheduler } from "rxjs/testing";
import { map, toArray } from "rxjs";
import { serverNotificationSchemas } from "../../src/protocol/generated/index.js";
import { initialTurnState, turnReducer, toTurnResult, ofMethod } from "../../src/index.js";
import { errorNotification, toMarbles, transcript$, transcriptNotifications, turnEvents, statusChanged, warning } from "../../src/testing/index.js";
import type { z } from "zod";

const recorded = readFileSync(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url), "utf8");
const schemas: Readonly<Record<string, z.ZodType>> = serverNotificationSchemas;

describe("test kit builders", () => {
  it("build notifications that pass the pinned protocol's schemas", () => {
    for (const n of [...turnEvents({ status: "failed", error: { message: "x" } }), statusChanged("t", "active"), statusChanged("t", "idle"), warning("w")]) {
      const parsed = schemas[n.method]?.safeParse(n.params);
      expect({ method: n.method, ok: parsed?.success }).toEqual({ method: n.method, ok: true });
    }
  });

  it("errorNotification: willRetry false and codexErrorInfo \"other\" unless given; both shapes pass the schema", () => {
    const fatal = errorNotification("th", "t1", "boom");
    const retry = errorNotification("th", "t1", "Reconnecting... 1/5", true, null);
    expect(fatal.params).toEqual({ threadId: "th", turnId: "t1", willRetry: false, error: { message: "boom", codexErrorInfo: "other", additionalDetails: null } });
    expect(retry.params).toEqual({ threadId: "th", turnId: "t1", willRetry: true, error: { message: "Reconnecting... 1/5", codexErrorInfo: null, additionalDetails: null } });
    for (const n of [fatal, retry]) expect(schemas[n.method]?.safeParse(n.params).success).toBe(true);
  });

  it("turnEvents makes a whole turn the reducer folds into a result", () => {
    const result = toTurnResult(turnEvents({ prompt: "q", answer: ["4", "2"] }).reduce(turnReducer, initialTurnState));
    expect(result.finalResponse).toBe("42");
    expect(result.items.map((i) => i.type)).toEqual(["userMessage", "agentMessage"]);
  });

  it("toMarbles gives a diagram and values for cold()", () => {
    const events = turnEvents({ answer: ["a"] });
    const { marbles, values } = toMarbles(events);
    expect(marbles).toBe("abcdefgh|");
    expect(values["a"]).toBe(events[0]);
    expect(toMarbles([1, 2], { complete: false }).marbles).toBe("ab");
    new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ cold, expectObservable }) => {
      expectObservable(cold(marbles, values).pipe(ofMethod("item/agentMessage/delta"), map((n) => n.params.delta))).toBe("----x---|", { x: "a" });
    });
  });
});

describe("recorded transcripts", () => {
  it("yields the validated notifications of a real recorded session", () => {
    const events = transcriptNotifications(recorded);
    expect(events.length).toBeGreaterThan(40);
    expect(events.filter((n) => n.method === "turn/completed")).toHaveLength(2);
    // Folding the first turn of the recording gives its answer.
    const firstTurnId = (events.find((n) => n.method === "turn/started")?.params as { turn: { id: string } }).turn.id;
    const state = events.reduce(turnReducer, { ...initialTurnState, turnId: firstTurnId });
    expect(state.completed).toBe(true);
    expect(state.text.startsWith("tok ")).toBe(true);
  });

  it("transcript$ replays synchronously by default", () => {
    const seen: string[] = [];
    transcript$(recorded).subscribe((n) => seen.push(n.method));
    expect(seen).toEqual(transcriptNotifications(recorded).map((n) => n.method));
  });

  it("transcript$ keeps the recorded gaps in virtual time", () => {
    const notificationLines = recorded
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as { method?: string; id?: unknown; emittedAtMs?: number })
      .filter((m) => m.method !== undefined && m.id === undefined);
    const t0 = notificationLines[0]?.emittedAtMs ?? 0;
    const expectedOffsets = notificationLines.map((m) => (m.emittedAtMs ?? t0) - t0);
    const testScheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    testScheduler.run(({ expectObservable }) => {
      const times$ = transcript$(recorded, { timing: "recorded", scheduler: testScheduler }).pipe(map(() => testScheduler.now()), toArray());
      const end = Math.max(...expectedOffsets);
      expectObservable(times$).toBe(`${end}ms (x|)`, { x: expectedOffsets });
    });
    expect(new Set(expectedOffsets).size).toBeGreaterThan(5); // the recording really has gaps
  });

  it("names the line of a notification that does not match its schema", () => {
    expect(() => transcriptNotifications('{"method":"turn/started","params":{"threadId":5}}')).toThrow(/transcript line 1: invalid params for turn\/started/);
  });
});
