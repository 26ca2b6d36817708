import type { DynamicToolCallParams, DynamicToolCallResponse } from "../../protocol/generated/index.js";

/**
 * How a tool call was answered:
 * - `completed`: `execute` produced the output (`success: true`);
 * - `invalidArguments`: the arguments failed the tool's schema, `execute` was not called;
 * - `failed`: `execute` threw, rejected or errored (or produced what cannot be sent);
 * - `timedOut`: the tool's `timeoutMs` passed first;
 * - `aborted`: the turn ended (interrupted, failed) or the client closed before the answer;
 * - `noHandler`: this client has no tool by that name on that thread (and no `approvals` callback).
 */
export type ToolCallStatus = "completed" | "invalidArguments" | "failed" | "timedOut" | "aborted" | "noHandler";

/** One tool call the model made, with the answer the client sent: what `codex.toolCalls$` emits. */
export interface ToolCallOutcome {
  /** The server's request as received: thread, turn, call id, namespace, tool name, raw arguments. */
  readonly call: DynamicToolCallParams;
  readonly status: ToolCallStatus;
  /** The answer sent (`success` is true only for `completed`). */
  readonly response: DynamicToolCallResponse;
  /** What went wrong: the error `execute` threw (`failed`), zod's error (`invalidArguments`); else `undefined`. */
  readonly error?: unknown;
  /** From the request's arrival to the answer, on the client's scheduler. */
  readonly durationMs: number;
}
