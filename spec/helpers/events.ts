import type { Notification, NotificationOf } from "../../src/protocol/notifications.js";
import type { ThreadItem, TurnError, TurnStatus } from "../../src/protocol/generated/index.js";

// Builders of real-shaped notifications (as the 0.169.0 app-server sends them) for unit tests.

export function turnStarted(threadId: string, turnId: string): NotificationOf<"turn/started"> {
  return {
    method: "turn/started",
    params: {
      threadId,
      turn: { id: turnId, items: [], status: "inProgress", error: null, startedAt: 1795526024, completedAt: null, durationMs: null },
    },
  };
}

export function turnCompleted(threadId: string, turnId: string, status: TurnStatus = "completed", error: TurnError | null = null): NotificationOf<"turn/completed"> {
  return {
    method: "turn/completed",
    params: {
      threadId,
      turn: { id: turnId, items: [], status, error, startedAt: 1795526024, completedAt: 1795526025, durationMs: 420 },
    },
  };
}

export function agentMessage(id: string, text: string, phase: "final_answer" | "commentary" | null = null): ThreadItem {
  return { type: "agentMessage", id, text, phase };
}

export function userMessage(id: string, text: string): ThreadItem {
  return { type: "userMessage", id, content: [{ type: "text", text, text_elements: [] }] };
}

export function itemStarted(threadId: string, turnId: string, item: ThreadItem): NotificationOf<"item/started"> {
  return { method: "item/started", params: { threadId, turnId, item } } as NotificationOf<"item/started">;
}

export function itemCompleted(threadId: string, turnId: string, item: ThreadItem): NotificationOf<"item/completed"> {
  return { method: "item/completed", params: { threadId, turnId, item } } as NotificationOf<"item/completed">;
}

export function delta(threadId: string, turnId: string, itemId: string, text: string): NotificationOf<"item/agentMessage/delta"> {
  return { method: "item/agentMessage/delta", params: { threadId, turnId, itemId, delta: text } };
}

export function tokenUsage(threadId: string, turnId: string, input: number, output: number): NotificationOf<"thread/tokenUsage/updated"> {
  const breakdown = { inputTokens: input, cachedInputTokens: 0, outputTokens: output, reasoningOutputTokens: 0, totalTokens: input + output };
  return {
    method: "thread/tokenUsage/updated",
    params: { threadId, turnId, tokenUsage: { last: breakdown, total: breakdown, modelContextWindow: null } },
  } as NotificationOf<"thread/tokenUsage/updated">;
}

export function statusChanged(threadId: string, type: "idle" | "active"): Notification {
  return { method: "thread/status/changed", params: { threadId, status: type === "idle" ? { type } : { type, activeFlags: [] } } };
}

export function warning(message: string): Notification {
  return { method: "configWarning", params: { summary: message, details: null } };
}

/** A whole successful turn: started, user message, streamed agent message, usage, completed. */
export function wholeTurn(threadId: string, turnId: string, answer: string[]): Notification[] {
  const msgId = `msg_${turnId}`;
  const full = answer.join("");
  return [
    turnStarted(threadId, turnId),
    itemStarted(threadId, turnId, userMessage(`u_${turnId}`, "hi")),
    itemCompleted(threadId, turnId, userMessage(`u_${turnId}`, "hi")),
    itemStarted(threadId, turnId, agentMessage(msgId, "")),
    ...answer.map((a) => delta(threadId, turnId, msgId, a)),
    itemCompleted(threadId, turnId, agentMessage(msgId, full, "final_answer")),
    tokenUsage(threadId, turnId, 10, answer.length),
    turnCompleted(threadId, turnId),
  ];
}
