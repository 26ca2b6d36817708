import { invalidInput, nearest } from "../errors/index.js";
import type { ReviewDelivery, ReviewStartParams, ReviewTarget } from "../protocol/generated/index.js";
import type { ClientProtocol } from "../protocol/ClientProtocol.js";
import { validateParams } from "../protocol/validate.js";

/** Options of `thread.review()`. */
export interface ReviewOptions {
  /**
   * Where the review runs: `inline` (the default, and the only value the pinned server knows) runs
   * it as a turn of this thread. For a review on a thread of its own, start a thread and review
   * there: `(await codex.threadStart({ cwd })).review(target)`.
   */
  readonly delivery?: ReviewDelivery;
  /** Aborting it interrupts the review turn (`turn/interrupt`); `run()` then fails with `AbortError`. */
  readonly signal?: AbortSignal;
}

const TARGETS: readonly ReviewTarget["type"][] = ["uncommittedChanges", "baseBranch", "commit", "custom"];

/**
 * @internal The `review/start` params of `thread.review(target, options)`, checked before anything
 * is sent: an unknown target type names the nearest known one.
 *
 * @param threadId the thread
 * @param target what to review
 * @param options delivery
 * @param protocol the connection's surface (`rpc.protocol`)
 * @returns the params
 * @throws {InvalidInputError} for an unknown target type, a missing field or an unknown delivery
 */
export function reviewParams(threadId: string, target: ReviewTarget, options: ReviewOptions, protocol: ClientProtocol): ReviewStartParams {
  const type: unknown = typeof target === "object" && target !== null ? (target as { readonly type?: unknown }).type : undefined;
  if (typeof type !== "string" || !(TARGETS as readonly string[]).includes(type)) {
    const guess = typeof type === "string" ? nearest(type, TARGETS) : undefined;
    const known = TARGETS.map((t) => JSON.stringify(t)).join(", ");
    const message = `unknown review target ${JSON.stringify(type)}${guess === undefined ? "" : `, did you mean ${JSON.stringify(guess)}?`} (one of ${known})`;
    throw invalidInput("review/start", ["target", "type"], message, guess);
  }
  const params: ReviewStartParams = { threadId, target, ...(options.delivery === undefined ? {} : { delivery: options.delivery }) };
  const invalid = validateParams("review/start", params, protocol);
  if (invalid !== undefined) throw invalid;
  return params;
}
