import type { CodexErrorInfo, ThreadItem, TurnError, TurnStatus } from "../protocol/generated/index.js";
import type { Notification, NotificationOf } from "../protocol/notifications.js";

// Builders of notifications shaped like the pinned app-server's (spec/testing/builders.spec.ts
// checks them against the generated schemas), for unit and marble
// tests of code that consumes codex-rx streams (reducers, operators, UIs). Ids and timestamps
// are fixed so expected values are easy to write.

/**
 * `turn/started` of a turn.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @returns the notification
 * @example
 * ```ts
 * cold("a-|", { a: turnStarted("th", "t1") })
 * ```
 */
export function turnStarted(threadId: string, turnId: string): NotificationOf<"turn/started"> {
  return {
    method: "turn/started",
    params: {
      threadId,
      turn: { id: turnId, items: [], status: "inProgress", error: null, startedAt: 1795526024, completedAt: null, durationMs: null },
    },
  };
}

/**
 * `turn/completed` of a turn, with a status and (for failed turns) an error.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param status default `completed`
 * @param error the turn's error, default null
 * @returns the notification
 */
export function turnCompleted(threadId: string, turnId: string, status: TurnStatus = "completed", error: TurnError | null = null): NotificationOf<"turn/completed"> {
  return {
    method: "turn/completed",
    params: {
      threadId,
      turn: { id: turnId, items: [], status, error, startedAt: 1795526024, completedAt: 1795526025, durationMs: 420 },
    },
  };
}

/**
 * An agent message item.
 *
 * @param id the item id
 * @param text its text
 * @param phase `final_answer`, `commentary` or null (phase-less)
 * @returns the item
 */
export function agentMessage(id: string, text: string, phase: "final_answer" | "commentary" | null = null): ThreadItem {
  return { type: "agentMessage", id, text, phase };
}

/**
 * A user message item with one text input.
 *
 * @param id the item id
 * @param text the text
 * @returns the item
 */
export function userMessage(id: string, text: string): ThreadItem {
  return { type: "userMessage", id, content: [{ type: "text", text, text_elements: [] }] };
}

/**
 * `item/started` of an item in a turn.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param item the item
 * @returns the notification
 */
export function itemStarted(threadId: string, turnId: string, item: ThreadItem): NotificationOf<"item/started"> {
  return { method: "item/started", params: { threadId, turnId, item, startedAtMs: 1795526024000 } };
}

/**
 * `item/completed` of an item in a turn.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param item the item
 * @returns the notification
 */
export function itemCompleted(threadId: string, turnId: string, item: ThreadItem): NotificationOf<"item/completed"> {
  return { method: "item/completed", params: { threadId, turnId, item, completedAtMs: 1795526025000 } };
}

/**
 * `item/agentMessage/delta`: a piece of streamed agent text.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param itemId the agent message item
 * @param text the piece
 * @returns the notification
 */
export function delta(threadId: string, turnId: string, itemId: string, text: string): NotificationOf<"item/agentMessage/delta"> {
  return { method: "item/agentMessage/delta", params: { threadId, turnId, itemId, delta: text } };
}

/**
 * `thread/tokenUsage/updated` for a turn (the same numbers as last and total).
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param input input tokens
 * @param output output tokens
 * @returns the notification
 */
export function tokenUsage(threadId: string, turnId: string, input: number, output: number): NotificationOf<"thread/tokenUsage/updated"> {
  const breakdown = { inputTokens: input, cachedInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output };
  return {
    method: "thread/tokenUsage/updated",
    params: { threadId, turnId, tokenUsage: { last: breakdown, total: breakdown, modelContextWindow: null } },
  };
}

/**
 * `thread/status/changed` of a thread.
 *
 * @param threadId the thread
 * @param type `idle` or `active`
 * @returns the notification
 */
export function statusChanged(threadId: string, type: "idle" | "active"): Notification {
  return { method: "thread/status/changed", params: { threadId, status: type === "idle" ? { type } : { type, activeFlags: [] } } };
}

/**
 * A global `configWarning` (scoped to no thread or turn).
 *
 * @param message its summary
 * @returns the notification
 */
export function warning(message: string): Notification {
  return { method: "configWarning", params: { summary: message, details: null } };
}

/** Options of {@link turnEvents}. */
export interface TurnEventsOptions {
  readonly threadId?: string;
  readonly turnId?: string;
  /** The user's prompt. Default "hi". */
  readonly prompt?: string;
  /** The streamed answer: one delta per element. Default `["Hello", "!"]`. */
  readonly answer?: readonly string[];
  /** How the turn ends. Default `completed`; `failed` carries `error`. */
  readonly status?: TurnStatus;
  readonly error?: TurnError | null;
}

/**
 * A whole turn as the server streams it: `turn/started`, the user message, the agent message
 * (started, one delta per piece, completed as `final_answer`), token usage, `turn/completed`.
 *
 * @param options ids, prompt, answer pieces, final status
 * @returns the notifications, in wire order
 * @example
 * ```ts
 * const events = turnEvents({ answer: ["He", "llo"] });
 * expect(events.reduce(turnReducer, initialTurnState).text).toBe("Hello");
 * ```
 */
export function turnEvents(options: TurnEventsOptions = {}): Notification[] {
  const { threadId = "thread-1", turnId = "turn-1", prompt = "hi", answer = ["Hello", "!"], status = "completed", error = null } = options;
  const msgId = `msg_${turnId}`;
  return [
    turnStarted(threadId, turnId),
    itemStarted(threadId, turnId, userMessage(`u_${turnId}`, prompt)),
    itemCompleted(threadId, turnId, userMessage(`u_${turnId}`, prompt)),
    itemStarted(threadId, turnId, agentMessage(msgId, "")),
    ...answer.map((piece) => delta(threadId, turnId, msgId, piece)),
    itemCompleted(threadId, turnId, agentMessage(msgId, answer.join(""), "final_answer")),
    tokenUsage(threadId, turnId, 10, answer.length),
    turnCompleted(threadId, turnId, status, error),
  ];
}

/**
 * A marble diagram and its values for a list of events, one event per frame, for
 * `TestScheduler`'s `cold`/`hot`: `toMarbles([a, b])` → `{ marbles: "ab|", values: { a, b } }`.
 *
 * @param events the events (at most 52)
 * @param options `complete: false` leaves the stream open
 * @returns the diagram and its values
 * @example
 * ```ts
 * const { marbles, values } = toMarbles(turnEvents());
 * expectObservable(cold(marbles, values).pipe(myOperator())).toBe(…);
 * ```
 */
export function toMarbles<T>(events: readonly T[], options: { readonly complete?: boolean } = {}): { marbles: string; values: Record<string, T> } {
  const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  if (events.length > letters.length) throw new RangeError(`toMarbles: at most ${letters.length} events`);
  const values: Record<string, T> = {};
  let marbles = "";
  events.forEach((event, i) => {
    const letter = letters[i] as string;
    values[letter] = event;
    marbles += letter;
  });
  return { marbles: marbles + (options.complete === false ? "" : "|"), values };
}

/**
 * `error` of a turn: what the server says when the model request fails. With `willRetry` true
 * the server tries again ("Reconnecting... 1/5") and the turn goes on; with false the turn then
 * completes `failed`.
 *
 * @param threadId the thread
 * @param turnId the turn
 * @param message the error text
 * @param willRetry whether the server retries (default false)
 * @param codexErrorInfo the error's kind (default `"other"`; `null` when the server names none)
 * @returns the notification
 * @example
 * ```ts
 * server.notify(errorNotification(thread.id, turn.id, "Reconnecting... 1/5", true));
 * turnReducer(state, errorNotification("th", "t1", "Reconnecting... 1/5", true)).errors; // [{ error: { message: "Reconnecting... 1/5", … }, willRetry: true, … }]
 * ```
 */
export function errorNotification(threadId: string, turnId: string, message: string, willRetry = false, codexErrorInfo: CodexErrorInfo | null = "other"): NotificationOf<"error"> {
  return {
    method: "error",
    params: { error: { message, codexErrorInfo, additionalDetails: null }, willRetry, threadId, turnId },
  };
}

/**
 * `serverRequest/resolved`: the server got the client's answer to one of its requests.
 *
 * @param threadId the thread the request belonged to
 * @param requestId the JSON-RPC id of the request
 * @returns the notification
 */
export function serverRequestResolved(threadId: string, requestId: string | number): NotificationOf<"serverRequest/resolved"> {
  return { method: "serverRequest/resolved", params: { threadId, requestId } };
}

/**
 * A shell command item (`commandExecution`), as the server reports one the model asked to run.
 *
 * @param id the item id
 * @param command the command line
 * @param status `inProgress` (default), `completed`, `failed` or `declined`
 * @returns the item
 */
export function commandExecution(id: string, command: string, status: "inProgress" | "completed" | "failed" | "declined" = "inProgress"): ThreadItem {
  const done = status !== "inProgress";
  return {
    type: "commandExecution",
    id,
    command,
    cwd: "/fake/cwd",
    status,
    commandActions: [{ type: "unknown", command }],
    aggregatedOutput: done ? "" : null,
    exitCode: status === "completed" ? 0 : null,
    durationMs: done ? 0 : null,
  };
}
