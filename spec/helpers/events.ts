// The specs use the public test kit's builders (src/testing/builders.ts); `wholeTurn` keeps the
// positional form the older specs were written with.
import type { Notification } from "../../src/protocol/notifications.js";
import { turnEvents } from "../../src/testing/builders.js";
export {
  agentMessage,
  delta,
  itemCompleted,
  itemStarted,
  statusChanged,
  tokenUsage,
  turnCompleted,
  turnStarted,
  userMessage,
  warning,
} from "../../src/testing/builders.js";

export function wholeTurn(threadId: string, turnId: string, answer: string[]): Notification[] {
  return turnEvents({ threadId, turnId, answer });
}
