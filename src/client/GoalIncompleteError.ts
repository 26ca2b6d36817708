import { CodexError } from "../rpc/errors.js";
import type { GoalStatus } from "./goalReducer.js";

/**
 * A goal run's stream ended before the goal stopped running: the client was closed (or the
 * connection ended) while the goal was active or a turn of it was running. `goal.run()` fails with
 * it, so a goal never resolves to nothing and never hangs. A dead process fails it with
 * `TransportClosedError` instead.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof GoalIncompleteError) console.error(`goal on ${e.threadId} was left ${e.status}`); }
 * ```
 */
export class GoalIncompleteError extends CodexError {
  override readonly name: string = "GoalIncompleteError";
  /** The goal's thread, when known. */
  readonly threadId: string | null;
  /** The goal's last known status (`null`: none seen). */
  readonly status: GoalStatus | null;
  constructor(threadId: string | null, status: GoalStatus | null, options?: { cause?: unknown }) {
    super(`the goal on thread ${threadId ?? "(unknown)"} ended its stream while ${status ?? "not yet reported"}`, options);
    this.threadId = threadId;
    this.status = status;
  }
}
