// A test you can copy: check your own stream logic with marbles (virtual time, built events) and
// end to end against the real app-server with a scripted fake model. Run with `npm test`
// (it is part of this repo's suite). In your project: docs/testing.md (node:test, vitest, jest).
import { distinctUntilChanged, lastValueFrom, map, scan, toArray, type OperatorFunction } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { Codex, initialTurnState, turnReducer, type Notification } from "codex-rx";
import { codexHomeFor, reply, startFakeResponses, toMarbles, turnEvents } from "codex-rx/testing";

// The code under test: a one-line status for a UI, derived from a turn's events.
function statusLine(): OperatorFunction<Notification, string> {
  return (events$) =>
    events$.pipe(
      scan(turnReducer, initialTurnState),
      map((s) => `${s.status ?? "pending"} · ${s.text.length} chars · ${s.items.length} items`),
      distinctUntilChanged(),
    );
}

describe("statusLine (marbles)", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("follows a streamed turn, one line per change", () => {
    testScheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      // 9 events: started, user item ×2, agent item started, 2 deltas, agent item done, usage, completed.
      const { marbles, values } = toMarbles(turnEvents({ answer: ["He", "llo"] }));
      const events$ = cold(marbles, values);
      expectObservable(events$.pipe(statusLine())).toBe("a-b-cde-f|", {
        a: "inProgress · 0 chars · 0 items",
        b: "inProgress · 0 chars · 1 items",
        c: "inProgress · 2 chars · 1 items",
        d: "inProgress · 5 chars · 1 items",
        e: "inProgress · 5 chars · 2 items",
        f: "completed · 5 chars · 2 items",
      });
      expectSubscriptions(events$.subscriptions).toBe("^--------!");
    });
  });
});

describe("statusLine (end to end: real app-server, fake model)", () => {
  it("ends on the completed turn's line", async () => {
    await using fake = await startFakeResponses();
    await using home = await codexHomeFor(fake);
    await using codex = await Codex.start({ env: home.env });
    fake.enqueue(reply.text("Hello world", { deltas: 2 }));

    const thread = await codex.threadStart({ cwd: home.path });
    const turn = await thread.turn("hi");
    const lines = await lastValueFrom(turn.events$.pipe(statusLine(), toArray()));
    expect(lines[lines.length - 1]).toBe("completed · 11 chars · 2 items");

    // The same turn without RxJS: the AsyncIterable views.
    const states: string[] = [];
    for await (const state of turn.progress()) states.push(state.status ?? "pending");
    expect(states[states.length - 1]).toBe("completed");
  });
});
