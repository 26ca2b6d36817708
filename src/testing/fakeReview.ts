import type { ReviewTarget, Turn, UserInput } from "../protocol/generated/index.js";
import type { FakeThread, MethodTable } from "./fakeMethods.js";
import { turnStep, type FakeTurn } from "./fakeTurn.js";

// `review/start` on the fake app-server, after the real server (APP-SERVER-NOTES, "Beyond the
// conversation"): it answers `{reviewThreadId, turn}` and runs a turn on the thread whose items are
// `enteredReviewMode {review: <what is reviewed>}` and `exitedReviewMode {review: <the review>}`,
// followed by the agent's message with the same text. (The real server sends the user message
// between the two review items, the first item before its answer, and a `turn/started` that names a
// child turn whose `rootTurnId` is the review's; the fake sends the user message first and a plain
// turn, as in its other turns.)

/** Decides the text of a review; default `fake review: no issues found`. */
export type FakeReviewResponder = (target: ReviewTarget) => string;

/** What the review method needs of the fake. */
export interface ReviewHost {
  readonly threads: Map<string, FakeThread>;
  reviews: FakeReviewResponder;
  itemId(prefix: string): string;
  /** Runs `script` as the next turn of `thread`; `respond` gets the started turn. */
  beginScriptedTurn(thread: FakeThread, input: readonly UserInput[], script: FakeTurn, respond: (turn: Turn) => void): void;
}

/** What a review target reviews, in words (the `enteredReviewMode` item's text). */
export function reviewLabel(target: ReviewTarget): string {
  switch (target.type) {
    case "uncommittedChanges":
      return "current changes";
    case "baseBranch":
      return `changes against ${target.branch}`;
    case "commit":
      return `commit ${target.sha.slice(0, 7)}${target.title == null ? "" : `: ${target.title}`}`;
    case "custom":
      return target.instructions;
  }
}

/** The `review/start` method. */
export function reviewMethods(host: ReviewHost): MethodTable {
  return {
    "review/start": (params, _state, respond) => {
      const thread = host.threads.get(params.threadId);
      if (thread === undefined) return { error: { code: -32600, message: `thread not found: ${params.threadId}` } };
      const label = reviewLabel(params.target);
      const review = host.reviews(params.target);
      const script: FakeTurn = {
        steps: [
          turnStep.item({ type: "enteredReviewMode", id: host.itemId("review"), review: label }),
          turnStep.item({ type: "exitedReviewMode", id: host.itemId("review"), review }),
        ],
        text: review,
      };
      host.beginScriptedTurn(thread, [{ type: "text", text: label, text_elements: [] }], script, (turn) => respond({ reviewThreadId: thread.fields.id, turn }));
      return { later: true };
    },
  };
}
