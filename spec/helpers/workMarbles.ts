import { defer, of, type Observable } from "rxjs";
import type { TestScheduler } from "rxjs/testing";
import type { Notification } from "../../src/protocol/notifications.js";
import { stableProtocol } from "../../src/protocol/stableProtocol.js";
import { KeyedRoutes } from "../../src/routing/KeyedRoutes.js";
import type { WorkContext } from "../../src/client/commands/WorkContext.js";

/** A request the work context sent, with the virtual time it was sent at. */
export interface Sent {
  readonly method: string;
  readonly params: Record<string, unknown>;
  readonly at: number;
}

/** What each method answers: a marble per method (consumed in order when an array). */
export type Answers = Record<string, Observable<unknown> | Observable<unknown>[]>;

/**
 * A work context over marbles: `request$` records what is sent and answers from `answers`
 * (default: `{}` at once); ids are `p1`, `p2`, … in order.
 */
export function marbleContext(ts: TestScheduler, notifications$: Observable<Notification>, answers: Answers, state: { closed: boolean } = { closed: false }): { ctx: WorkContext; sent: Sent[] } {
  const sent: Sent[] = [];
  let n = 0;
  const request$ = (method: string, params: Record<string, unknown>): Observable<unknown> =>
    defer(() => {
      sent.push({ method, params, at: ts.now() });
      const answer = answers[method];
      if (Array.isArray(answer)) return answer.shift() ?? of({});
      return answer ?? of({});
    });
  const rpc = { request$, get closed() { return state.closed; }, closeReason: undefined, protocol: stableProtocol } as unknown as WorkContext["rpc"];
  const routes = new KeyedRoutes(notifications$, { "command/exec/outputDelta": (d) => d.params.processId, "fs/changed": (c) => c.params.watchId });
  return { ctx: { rpc, routes, newId: (kind) => (kind === "exec" ? `p${++n}` : `w${++n}`), scheduler: ts }, sent };
}

/** A `command/exec/outputDelta` of process `p1` (or `processId`). */
export function delta(text: string | Uint8Array, stream: "stdout" | "stderr" = "stdout", processId = "p1"): Notification {
  return { method: "command/exec/outputDelta", params: { processId, stream, deltaBase64: Buffer.from(text).toString("base64"), capReached: false } };
}

/** The chunk `exec$` makes of a delta. */
export function chunk(text: string, bytes: Uint8Array | string = text, stream: "stdout" | "stderr" = "stdout"): { stream: string; text: string; bytes: Buffer; capReached: boolean } {
  return { stream, text, bytes: Buffer.from(bytes), capReached: false };
}

/** The `command/exec` answer. */
export function exitAnswer(exitCode: number): { exitCode: number; stdout: string; stderr: string } {
  return { exitCode, stdout: "", stderr: "" };
}
