import type { DynamicToolCallOutputContentItem, ThreadItem } from "../protocol/generated/index.js";

/** The fields of a `dynamicToolCall` item besides its id and tool. */
export interface DynamicToolCallFields {
  readonly namespace?: string | null;
  readonly arguments?: unknown;
  readonly status?: "inProgress" | "completed" | "failed";
  readonly contentItems?: readonly DynamicToolCallOutputContentItem[] | null;
  readonly success?: boolean | null;
  readonly durationMs?: number | null;
}

/**
 * A client-side tool call item (`dynamicToolCall`), as the server reports one the model made:
 * `inProgress` with its arguments when it starts, `completed` / `failed` with the client's answer.
 *
 * @param id the item id (the call's `callId`)
 * @param tool the tool's name
 * @param fields namespace, arguments, status (default `inProgress`), contentItems, success, durationMs
 * @returns the item
 * @example
 * ```ts
 * server.notify(itemStarted(threadId, turnId, dynamicToolCall("call_1", "get_weather", { arguments: { city: "Paris" } })));
 * ```
 */
export function dynamicToolCall(id: string, tool: string, fields: DynamicToolCallFields = {}): ThreadItem {
  return {
    type: "dynamicToolCall",
    id,
    tool,
    namespace: fields.namespace ?? null,
    arguments: fields.arguments ?? {},
    status: fields.status ?? "inProgress",
    contentItems: fields.contentItems === undefined || fields.contentItems === null ? null : [...fields.contentItems],
    success: fields.success ?? null,
    durationMs: fields.durationMs ?? null,
  };
}
