import type { ErrorNotification, ThreadItem, ThreadTokenUsage, TurnError, TurnStatus } from "../protocol/generated/index.js";
import { isNotification, type Notification } from "../protocol/notifications.js";
import { turnIdOf } from "./ids.js";
import { finalResponseOf } from "./finalResponseOf.js";

/**
 * A snapshot of one turn, built from its notifications by {@link turnReducer}. Immutable: every
 * event yields a new object, so `scan` snapshots can be handed to a UI as they are.
 */
export interface TurnState {
  /** The turn id, from the first event that names it. */
  readonly turnId: string | null;
  readonly threadId: string | null;
  /** `null` until `turn/started`; then `inProgress`, and the final status at `turn/completed`. */
  readonly status: TurnStatus | null;
  /** The server's error for a failed (or interrupted) turn. */
  readonly error: TurnError | null;
  /** Unix time in seconds, as the server reports it. */
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly durationMs: number | null;
  /** Completed items, in completion order (user message, reasoning, commands, agent messages, …). */
  readonly items: readonly ThreadItem[];
  /** Items started but not yet completed, by item id. Emptied at `turn/completed`. */
  readonly inProgress: Readonly<Record<string, ThreadItem>>;
  /**
   * Items that were started but never completed when the turn ended (an interrupted command, a
   * message cut short): the server sends no `item/completed` for them. Set at `turn/completed`.
   */
  readonly unfinished: readonly ThreadItem[];
  /** Command output streamed so far (`item/commandExecution/outputDelta`), by item id. */
  readonly commandOutput: Readonly<Record<string, string>>;
  /** The answer so far, by the `TurnResult.finalResponse` rule over the items completed so far. */
  readonly finalResponse: string | null;
  /** The agent message being streamed (or the last one completed), as text so far. */
  readonly text: string;
  /** The item id `text` belongs to. */
  readonly textItemId: string | null;
  /** The latest token usage reported for this turn. */
  readonly usage: ThreadTokenUsage | null;
  /**
   * Every `error` notification of the turn, in order: `willRetry: true` ones are the server
   * retrying the model ("Reconnecting... 1/5"), a `willRetry: false` one precedes a failed turn.
   */
  readonly errors: readonly ErrorNotification[];
  /** True once `turn/completed` was seen. */
  readonly completed: boolean;
  /** How many events were folded in. */
  readonly eventCount: number;
}

/** The seed of {@link turnReducer}: nothing seen yet. */
export const initialTurnState: TurnState = Object.freeze({
  turnId: null,
  threadId: null,
  status: null,
  error: null,
  startedAt: null,
  completedAt: null,
  durationMs: null,
  items: Object.freeze([]) as readonly ThreadItem[],
  inProgress: Object.freeze({}),
  unfinished: Object.freeze([]) as readonly ThreadItem[],
  commandOutput: Object.freeze({}),
  finalResponse: null,
  text: "",
  textItemId: null,
  usage: null,
  errors: Object.freeze([]) as readonly ErrorNotification[],
  completed: false,
  eventCount: 0,
});

/**
 * Folds one notification of a turn into its state. Pure: no I/O, no clock, never mutates `state`.
 * The same function drives `reduce` (→ `TurnResult` for `run()`) and `scan` (→ live snapshots for
 * UIs). Events of another turn (once the turn id is known) are ignored; unknown methods only count.
 *
 * @param state the state so far (start from {@link initialTurnState})
 * @param event one notification of the turn
 * @returns the next state
 * @example
 * ```ts
 * turn.events$.pipe(scan(turnReducer, initialTurnState)).subscribe((s) => render(s.text));
 * const result = await lastValueFrom(turn.events$.pipe(reduce(turnReducer, initialTurnState), map(toTurnResult)));
 * ```
 */
export function turnReducer(state: TurnState, event: Notification): TurnState {
  const eventTurnId = turnIdOf(event);
  if (state.turnId !== null && eventTurnId !== undefined && eventTurnId !== state.turnId) return state;
  // The hot path (thousands per turn): one object literal naming every field, no spreads, so V8
  // keeps one object shape for every state and builds it without copying property by property.
  if (isNotification(event, "item/agentMessage/delta")) return withDelta(state, eventTurnId, event.params.itemId, event.params.delta);
  const base: TurnState = {
    ...state,
    turnId: state.turnId ?? eventTurnId ?? null,
    eventCount: state.eventCount + 1,
  };
  // A switch on `method` cannot narrow away UnknownNotification (its method is any string), so the
  // type guard narrows each case to the generated params type.
  if (isNotification(event, "item/started")) {
    const { item } = event.params;
    const next = { ...base, inProgress: { ...base.inProgress, [item.id]: item } };
    return item.type === "agentMessage" ? { ...next, text: item.text, textItemId: item.id } : next;
  }
  if (isNotification(event, "item/completed")) {
    const { item } = event.params;
    const { [item.id]: _done, ...inProgress } = base.inProgress;
    const next = { ...base, items: [...base.items, item], inProgress };
    return item.type === "agentMessage" ? { ...next, text: item.text, textItemId: item.id, finalResponse: finalResponseOf(next.items) } : next;
  }
  if (isNotification(event, "item/commandExecution/outputDelta")) {
    const { itemId, delta } = event.params;
    return { ...base, commandOutput: { ...base.commandOutput, [itemId]: (base.commandOutput[itemId] ?? "") + delta } };
  }
  if (isNotification(event, "thread/tokenUsage/updated")) {
    return { ...base, usage: event.params.tokenUsage };
  }
  if (isNotification(event, "error")) {
    return { ...base, errors: [...base.errors, event.params] };
  }
  if (isNotification(event, "turn/started")) {
    const { turn, threadId } = event.params;
    return { ...base, threadId, status: turn.status, startedAt: turn.startedAt ?? null };
  }
  if (isNotification(event, "turn/completed")) {
    const { turn, threadId } = event.params;
    return {
      ...base,
      threadId,
      status: turn.status,
      error: turn.error ?? null,
      startedAt: base.startedAt ?? turn.startedAt ?? null,
      completedAt: turn.completedAt ?? null,
      durationMs: turn.durationMs ?? null,
      completed: true,
      inProgress: {},
      unfinished: Object.values(base.inProgress),
    };
  }
  return base;
}

/** The state after an agent-message delta: its text appended (or a new message begun). */
function withDelta(state: TurnState, eventTurnId: string | undefined, itemId: string, delta: string): TurnState {
  const same = state.textItemId === itemId;
  return {
    turnId: state.turnId ?? eventTurnId ?? null,
    threadId: state.threadId,
    status: state.status,
    error: state.error,
    startedAt: state.startedAt,
    completedAt: state.completedAt,
    durationMs: state.durationMs,
    items: state.items,
    inProgress: state.inProgress,
    unfinished: state.unfinished,
    commandOutput: state.commandOutput,
    finalResponse: state.finalResponse,
    text: same ? state.text + delta : delta,
    textItemId: itemId,
    usage: state.usage,
    errors: state.errors,
    completed: state.completed,
    eventCount: state.eventCount + 1,
  };
}
