import type { ThreadItem } from "../protocol/generated/index.js";

/**
 * The final answer among `items`: the last agent message with phase `final_answer`, else the last
 * agent message with no phase, else `null` (commentary never counts).
 *
 * @param items completed items of a turn
 * @returns the answer text or null
 */
export function finalResponseOf(items: readonly ThreadItem[]): string | null {
  let phaseless: string | null = null;
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item === undefined || item.type !== "agentMessage") continue;
    if (item.phase === "final_answer") return item.text;
    if ((item.phase === null || item.phase === undefined) && phaseless === null) phaseless = item.text;
  }
  return phaseless;
}
