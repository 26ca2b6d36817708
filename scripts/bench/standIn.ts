/**
 * An in-process stand-in app-server for the bench's "scale" group: the testing kit's
 * {@link FakeTransport} with a responder that answers `initialize`, `thread/start`,
 * `thread/goal/set` and `turn/start` with replies shaped like the 0.169.0 binary's (copied from
 * spec/fixtures/app-server-two-turns.jsonl; the kit's shapes plus what that binary adds), while
 * the bench writes notification lines straight into the client with `deliver`. No process, no
 * socket, no model, and none of the kit's fake app-server state (it would count in the heap per
 * thread): only the client's own work (JSON.parse, classification, zod validation, routing,
 * reduction, replay) is measured.
 *
 * Answers arrive on a microtask, as they would from a wire. `deliver(line)` is synchronous (one
 * `closed` check, then the Subject's `next`), so the bench can time a batch of lines with
 * `process.cpuUsage()` around one loop.
 */
import type { Thread, ThreadStartResponse } from "../../src/protocol/generated/index.js";
import { fakeId, initializeResult, threadOf, threadOpenedResult, turnOf } from "../../src/testing/appServerShapes.js";
import { delta } from "../../src/testing/builders.js";
import { FakeTransport } from "../../src/testing/fakeTransport.js";
import { threadGoal } from "../../src/testing/goalBuilders.js";

const CWD = "/home/user/project";
const CREATED = 1795526024;

/** What the 0.169.0 binary's `Thread` carries besides the kit's (fields the pinned schemas do not name). */
const THREAD_EXTRAS = {
  environments: [{ environmentId: "local", cwd: CWD, runtimeWorkspaceRoots: [CWD] }],
  extra: null,
  attachedToThreadId: null,
  section: null,
  sectionEnteredAt: null,
  canAcceptDirectInput: true,
  daybreakEnabled: null,
};
/** What its `thread/start` result carries besides the kit's. */
const OPENED_EXTRAS = { runtimeWorkspaceRoots: [CWD], activePermissionProfile: null, multiAgentMode: "explicitRequestOnly" };

/** The `thread/start` result of the `n`-th thread: the kit's, as the 0.169.0 binary fills it. */
function threadStartResult(n: number): ThreadStartResponse {
  const id = fakeId(1, n);
  const thread: Thread = {
    ...threadOf({ id, cwd: CWD, model: "mock-model", createdAt: CREATED, updatedAt: CREATED, preview: "", name: null, ephemeral: false, active: false }),
    path: `/home/user/.codex/sessions/rollout-${id}.jsonl`,
    cliVersion: "0.169.0",
    originator: "bench",
  };
  return { ...threadOpenedResult({ ...thread, ...THREAD_EXTRAS }), ...OPENED_EXTRAS };
}

/**
 * A new stand-in: hand it to `Codex.start({ transport })`, then `deliver` the server's lines.
 *
 * @returns the client's end of the wire
 */
export function standInAppServer(): FakeTransport {
  let threads = 0;
  let turns = 0;
  const answer = (method: string, threadId: string | undefined): unknown => {
    switch (method) {
      case "initialize":
        return initializeResult({ name: "bench", version: "0.169.0" }, "bench/0.169.0");
      case "thread/start":
        return threadStartResult(++threads);
      case "thread/goal/set":
        return { goal: threadGoal(threadId ?? "", "active", { objective: "bench" }) };
      case "turn/start":
        return { turn: turnOf(fakeId(2, ++turns), "inProgress", [], { startedAt: null, completedAt: null, durationMs: null }) };
      default:
        return undefined;
    }
  };
  const transport: FakeTransport = new FakeTransport(
    (message) => {
      const request = JSON.parse(message) as { id?: number; method: string; params?: { threadId?: string } };
      if (request.id === undefined) return;
      const id = request.id;
      const result = answer(request.method, request.params?.threadId);
      const reply = JSON.stringify(result === undefined ? { id, error: { code: -32601, message: "stand-in: unknown method" } } : { id, result });
      queueMicrotask(() => transport.deliver(reply));
    },
    () => undefined,
  );
  return transport;
}

/** A turn as the 0.169.0 server writes it in `turn/started` (the kit's `turnOf` says "summary" once started). */
const startedTurn = (turnId: string): object => ({ ...turnOf(turnId, "inProgress", [], { startedAt: CREATED, completedAt: null, durationMs: null }), itemsView: "notLoaded" });

/** The lines of a turn, as the 0.169.0 server writes them. */
export const lines = {
  turnStarted: (threadId: string, turnId: string): string => JSON.stringify({ method: "turn/started", params: { threadId, turn: startedTurn(turnId) }, emittedAtMs: 1795526024611 }),
  agentStarted: (threadId: string, turnId: string): string =>
    JSON.stringify({
      method: "item/started",
      params: {
        item: { type: "agentMessage", moderation: null, id: `msg_${turnId}`, text: "", phase: null, memoryCitation: null, delivery: null, questions: null, startedAtMs: 1795526024699, completedAtMs: null },
        threadId,
        turnId,
        startedAtMs: 1795526024699,
      },
      emittedAtMs: 1795526024699,
    }),
  delta: (threadId: string, turnId: string): string => JSON.stringify({ ...delta(threadId, turnId, `msg_${turnId}`, "tok "), emittedAtMs: 1795526024701 }),
  agentCompleted: (threadId: string, turnId: string, text: string): string =>
    JSON.stringify({
      method: "item/completed",
      params: {
        item: { type: "agentMessage", moderation: null, id: `msg_${turnId}`, text, phase: "final_answer", memoryCitation: null, delivery: null, questions: null, startedAtMs: 1795526024699, completedAtMs: 1795526024703 },
        threadId,
        turnId,
        completedAtMs: 1795526024703,
      },
      emittedAtMs: 1795526024703,
    }),
  turnCompleted: (threadId: string, turnId: string): string =>
    JSON.stringify({
      method: "turn/completed",
      params: { threadId, turn: turnOf(turnId, "completed", [], { startedAt: CREATED, completedAt: CREATED + 1, durationMs: 143 }) },
      emittedAtMs: 1795526024705,
    }),
};
