import type { ThreadGoalStatus, ThreadItem, TurnError, UserInput } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";

/** One step of a scripted turn, run after the user message and before the agent's answer; see {@link turnStep}. */
export type FakeTurnStep =
  | { readonly kind: "item"; readonly item: ThreadItem; readonly completed: ThreadItem | undefined }
  | { readonly kind: "notification"; readonly notification: Notification }
  | { readonly kind: "error"; readonly message: string; readonly willRetry: boolean }
  | { readonly kind: "request"; readonly method: string; readonly params: Readonly<Record<string, unknown>> }
  | { readonly kind: "approval"; readonly command: string }
  | { readonly kind: "toolCall"; readonly tool: string; readonly arguments: unknown; readonly namespace: string | null; readonly callId: string | undefined }
  | { readonly kind: "wait"; readonly ms: number };

/**
 * A scripted turn of the fake app-server: what the server streams between `turn/started` and
 * `turn/completed`. Every field is optional; `{}` is the default echo turn.
 */
export interface FakeTurn {
  /** The agent's answer. Default `echo: <prompt>`; `null` sends no agent message (the default of a failed turn). */
  readonly text?: string | null;
  /**
   * How the answer is streamed as `item/agentMessage/delta`: a count (nearly equal pieces) or the
   * exact pieces (they must join to `text`). Default one piece per word, like the fake model.
   */
  readonly deltas?: number | readonly string[];
  /** The agent message's `phase`. Default `null` (phase-less), as with the fake model. */
  readonly phase?: "final_answer" | "commentary" | null;
  /** Items, server requests, errors, notifications and waits before the answer, in order. */
  readonly steps?: readonly FakeTurnStep[];
  /** How the turn ends. Default `completed`; `failed` sends `error` then a failed `turn/completed`. */
  readonly status?: "completed" | "failed" | "interrupted";
  /** The error of a failed turn (a message or a whole `TurnError`). Default "fake turn failure". */
  readonly error?: string | TurnError;
  /** Token usage of this turn. Default input 10, output = number of deltas. */
  readonly usage?: { readonly input?: number; readonly output?: number };
  /** Milliseconds between the turn's notifications. Default the server's `stepMs` (0). */
  readonly delayMs?: number;
  /** Milliseconds before each delta. Default `delayMs`. */
  readonly deltaDelayMs?: number;
  /**
   * After the deltas, keep the turn running until the client sends `turn/interrupt` (it then ends
   * `interrupted`) or `turn/steer` (the answer is dropped and the next script answers the steer).
   */
  readonly hang?: boolean;
  /**
   * The thread's goal status after this turn, as if the model had called `update_goal` (e.g.
   * `complete` ends the goal's continuations). Default: unchanged.
   */
  readonly goal?: ThreadGoalStatus;
}

/** What a responder knows about the turn it scripts. */
export interface FakeTurnContext {
  readonly threadId: string;
  readonly turnId: string;
  /** The turn's input, as the client sent it (empty for a turn the server started). */
  readonly input: readonly UserInput[];
  /** 0-based position of this turn among all turns the server ran. */
  readonly turnIndex: number;
}

/** Decides a turn when no scripted turn is queued; default {@link echoTurn}. */
export type FakeTurnResponder = (prompt: string, context: FakeTurnContext) => FakeTurn;

/**
 * The default turn: answers `echo: <prompt>` (one delta per word), like the fake model's
 * `echoResponder`.
 *
 * @param prompt the text of the turn's input
 * @returns the turn
 * @example
 * ```ts
 * server.respond = (prompt, context) => (prompt === "fail" ? { status: "failed" } : echoTurn(prompt));
 * ```
 */
export function echoTurn(prompt: string): FakeTurn {
  return { text: `echo: ${prompt}` };
}

/**
 * Builders of {@link FakeTurnStep}s for `FakeTurn.steps`.
 *
 * @example
 * ```ts
 * server.enqueue({ steps: [turnStep.approval("rm -rf build")], text: "cleaned" });
 * ```
 */
export const turnStep = {
  /**
   * An item: `item/started`, then `item/completed` (with `completed`, or the same item).
   *
   * @param item the item as started
   * @param completed the item as completed
   * @returns the step
   */
  item(item: ThreadItem, completed?: ThreadItem): FakeTurnStep {
    return { kind: "item", item, completed };
  },
  /**
   * Any notification, sent as given.
   *
   * @param notification the notification
   * @returns the step
   */
  notification(notification: Notification): FakeTurnStep {
    return { kind: "notification", notification };
  },
  /**
   * An `error` notification of the turn; with `willRetry` (the default) the turn goes on.
   *
   * @param message the error text
   * @param options `willRetry`
   * @returns the step
   */
  error(message: string, options: { readonly willRetry?: boolean } = {}): FakeTurnStep {
    return { kind: "error", message, willRetry: options.willRetry ?? true };
  },
  /**
   * A server request (with the turn's `threadId` and `turnId` added to `params`); the turn waits
   * for the client's answer, then sends `serverRequest/resolved`.
   *
   * @param method the server request method
   * @param params its params besides threadId and turnId
   * @returns the step
   */
  request(method: string, params: Readonly<Record<string, unknown>>): FakeTurnStep {
    return { kind: "request", method, params };
  },
  /**
   * A command approval, as the real server runs one: the thread waits on approval, a
   * `commandExecution` item starts, `item/commandExecution/requestApproval` goes to the client, and
   * the item completes `completed` when accepted, `declined` when declined or cancelled, `failed`
   * when the client answered an error.
   *
   * @param command the command line
   * @returns the step
   */
  approval(command: string): FakeTurnStep {
    return { kind: "approval", command };
  },
  /**
   * The model calls a client-side tool, as the real server runs it: a `dynamicToolCall` item
   * starts (`inProgress`), `item/tool/call` goes to the client and the turn waits for the answer,
   * then `serverRequest/resolved` and the item completes (`completed` on `success: true`, else
   * `failed`, with the answer's `contentItems`). Interrupted while it waits, the item completes
   * `failed` with no content and no `serverRequest/resolved` is sent (the real server's way).
   *
   * @param tool the tool's name
   * @param args the arguments the model sends
   * @param options `namespace` of the tool, `callId` (default `call_<n>`)
   * @returns the step
   * @example
   * ```ts
   * server.enqueue({ steps: [turnStep.toolCall("get_weather", { city: "Paris" })], text: "It is sunny in Paris." });
   * ```
   */
  toolCall(tool: string, args: unknown, options: { readonly namespace?: string; readonly callId?: string } = {}): FakeTurnStep {
    return { kind: "toolCall", tool, arguments: args, namespace: options.namespace ?? null, callId: options.callId };
  },
  /**
   * A pause in the turn.
   *
   * @param ms milliseconds (virtual on a TestScheduler)
   * @returns the step
   */
  wait(ms: number): FakeTurnStep {
    return { kind: "wait", ms };
  },
};

/** The `TurnError` of a failed turn. */
export function turnErrorOf(error: FakeTurn["error"]): TurnError {
  if (error === undefined) return { message: "fake turn failure", codexErrorInfo: "other", additionalDetails: null };
  return typeof error === "string" ? { message: error, codexErrorInfo: "other", additionalDetails: null } : error;
}
