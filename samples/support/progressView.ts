// Shared by the progress UI samples (samples/tui.ts, samples/web/): turns one TurnState snapshot
// of `turn.progress$` into the few plain fields a UI shows. Pure, like turnReducer: no clock, no I/O.
import type { ThreadItem, TurnState, TurnStatus } from "codex-rx";

/**
 * Where one item is in its life, for an icon: ✓ done, ✗ failed, ⊘ declined, a spinner while
 * running; `unfinished`: started, and the turn ended (interrupted, failed) before it completed.
 */
export type ItemPhase = "running" | "done" | "failed" | "declined" | "unfinished";

/** One line of the item list. */
export interface ItemView {
  readonly id: string;
  /** The wire type: `userMessage`, `agentMessage`, `commandExecution`, … */
  readonly type: string;
  readonly phase: ItemPhase;
  /** A one-line description: the message text, the command, the tool … */
  readonly label: string;
  /** Extra facts once known: `exit 0 · 2.6 s`, `commentary` … */
  readonly detail: string;
}

/** Token counts of the turn so far. */
export interface UsageView {
  readonly input: number;
  readonly cachedInput: number;
  readonly output: number;
  readonly reasoning: number;
  readonly total: number;
}

/** Everything a progress UI renders, as JSON-friendly data (also what the web sample sends as SSE). */
export interface ProgressView {
  readonly turnId: string | null;
  /** `pending` until `turn/started`. */
  readonly status: TurnStatus | "pending";
  /** The agent message streaming now (or the last one completed). */
  readonly text: string;
  /** Completed items in completion order, then the running ones. */
  readonly items: readonly ItemView[];
  readonly usage: UsageView | null;
  /** The server's duration, once the turn completed. */
  readonly durationMs: number | null;
  /** The server's error message of a failed or interrupted turn. */
  readonly error: string | null;
  /** Every `error` notification so far, e.g. the server retrying the model ("Reconnecting... 1/5"). */
  readonly serverErrors: readonly { readonly message: string; readonly willRetry: boolean }[];
  readonly completed: boolean;
  readonly eventCount: number;
}

function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function phaseOf(status: string | undefined, running: boolean): ItemPhase {
  if (running || status === "inProgress") return "running";
  if (status === "failed" || status === "interrupted") return "failed";
  if (status === "declined") return "declined";
  return "done";
}

function seconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Describes one thread item in a line.
 *
 * @param item an item of `TurnState.items` or `TurnState.inProgress`
 * @param running true for an item that started and has not completed
 * @returns the item's line
 */
export function toItemView(item: ThreadItem, running: boolean): ItemView {
  const base = { id: item.id, type: item.type };
  switch (item.type) {
    case "userMessage": {
      const text = item.content.map((c) => (c.type === "text" ? c.text : `[${c.type}]`)).join(" ");
      return { ...base, phase: phaseOf(undefined, running), label: oneLine(text), detail: "" };
    }
    case "agentMessage":
      return { ...base, phase: phaseOf(undefined, running), label: oneLine(item.text), detail: item.phase ?? "" };
    case "reasoning":
      return { ...base, phase: phaseOf(undefined, running), label: oneLine((item.summary ?? []).join(" ")), detail: "" };
    case "commandExecution": {
      // `command` is the shell line the server ran (`/bin/bash -lc ls`); the parsed action is what the model asked for.
      const asked = item.commandActions?.[0]?.command ?? item.command;
      const facts = [item.exitCode === null || item.exitCode === undefined ? "" : `exit ${item.exitCode}`, seconds(item.durationMs)];
      return { ...base, phase: phaseOf(item.status, running), label: oneLine(asked), detail: facts.filter(Boolean).join(" · ") };
    }
    case "fileChange":
      return { ...base, phase: phaseOf(item.status, running), label: oneLine(item.changes.map((c) => c.path).join(", ")), detail: "" };
    case "mcpToolCall":
      return { ...base, phase: phaseOf(item.status, running), label: `${item.server}.${item.tool}`, detail: "" };
    case "dynamicToolCall":
      return { ...base, phase: phaseOf(item.status, running), label: item.tool, detail: "" };
    case "webSearch":
      return { ...base, phase: phaseOf(undefined, running), label: oneLine(item.query), detail: "" };
    default:
      return { ...base, phase: phaseOf(undefined, running), label: "", detail: "" };
  }
}

/**
 * The view of one progress snapshot.
 *
 * @param state a `TurnState` from `turn.progress$`
 * @returns the fields a progress UI renders
 * @example
 * ```ts
 * turn.progress$.pipe(map(toProgressView)).subscribe(render);
 * ```
 */
export function toProgressView(state: TurnState): ProgressView {
  const usage = state.usage?.total;
  return {
    turnId: state.turnId,
    status: state.status ?? "pending",
    text: state.text,
    items: [
      ...state.items.map((item) => toItemView(item, false)),
      ...Object.values(state.inProgress).map((item) => toItemView(item, true)),
      // The server sends no item/completed for an item cut short by an interrupt; the reducer moves
      // such items to `unfinished` when the turn ends.
      ...state.unfinished.map((item) => ({ ...toItemView(item, false), phase: "unfinished" as const, detail: "unfinished" })),
    ],
    usage:
      usage === undefined
        ? null
        : {
            input: usage.inputTokens,
            cachedInput: usage.cachedInputTokens,
            output: usage.outputTokens,
            reasoning: usage.reasoningOutputTokens,
            total: usage.totalTokens,
          },
    durationMs: state.durationMs,
    error: state.error?.message ?? null,
    serverErrors: state.errors.map((e) => ({ message: e.error.message, willRetry: e.willRetry })),
    completed: state.completed,
    eventCount: state.eventCount,
  };
}
