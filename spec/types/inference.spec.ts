// Type-level tests: `npm test` type-checks this file (tsc), so a wrong inference fails the build.
// The runtime part only proves the file loads.
import {
  isNotification,
  ofMethod,
  type Codex,
  type Notification,
  type NotificationOf,
  type ThreadItem,
  type TurnHandle,
  type TurnResult,
  type TurnState,
} from "../../src/index.js";
import type { AgentMessageDeltaNotification, ThreadStartResponse, TurnCompletedNotification } from "../../src/protocol/generated/index.js";

import { assertType, type Equal, type ObservedBy } from "./typeAssert.js";

declare const codex: Codex;
declare const turn: TurnHandle;
declare const n: Notification;

// Never called: the assertions are for tsc only (`codex`, `turn` and `n` exist only as types).
function typeAssertions(): void {
  // ofMethod narrows the union to the methods asked for, with their generated params.
  const deltas$ = codex.notifications$.pipe(ofMethod("item/agentMessage/delta"));
  assertType<Equal<ObservedBy<typeof deltas$>["params"], AgentMessageDeltaNotification>>();
  const two$ = codex.notifications$.pipe(ofMethod("turn/started", "turn/completed"));
  assertType<Equal<ObservedBy<typeof two$>["method"], "turn/started" | "turn/completed">>();

  // isNotification narrows a single value.
  if (isNotification(n, "turn/completed")) {
    assertType<Equal<typeof n.params, TurnCompletedNotification>>();
    assertType<Equal<typeof n, NotificationOf<"turn/completed">>>();
  }

  // The facade's Observables and Promises carry the right types.
  assertType<Equal<ObservedBy<typeof turn.progress$>, TurnState>>();
  assertType<Equal<ObservedBy<typeof turn.result$>, TurnResult>>();
  assertType<Equal<ReturnType<TurnHandle["run"]>, Promise<TurnResult>>>();
  assertType<Equal<TurnResult["items"], readonly ThreadItem[]>>();
}

// codex.request is typed by method: params checked, result inferred.
async function typedRequests(): Promise<void> {
  const started = await codex.request("thread/start", { cwd: "/tmp" });
  assertType<Equal<typeof started, ThreadStartResponse>>();
  // @ts-expect-error threadId must be a string
  await codex.request("thread/archive", { threadId: 1 });
  // @ts-expect-error no such method in the pinned protocol
  await codex.request("thread/explode", {});
}

describe("public types", () => {
  it("are checked by tsc (this file compiles only if every assertion holds)", () => {
    expect(typeof typedRequests).toBe("function");
    expect(typeof typeAssertions).toBe("function");
  });
});
