import type {
  Account,
  InitializeResponse,
  Model,
  RateLimitSnapshot,
  Thread,
  ThreadItem,
  ThreadStartResponse,
  Turn,
  TurnError,
  TurnStatus,
  UserInput,
} from "../protocol/generated/index.js";
import { PROTOCOL_VERSION } from "../protocol/generated/index.js";
import type { Notification, NotificationOf } from "../protocol/notifications.js";

// The results and notifications the in-memory fake app-server sends, shaped like the real
// server's (see spec/fixtures/app-server-two-turns.jsonl): every field the generated schemas
// require, the optional ones the real server fills where a client may read them.

/** A UUID-shaped id (the real server refuses thread ids that are not UUIDs); `kind` keeps kinds apart. */
export function fakeId(kind: number, n: number): string {
  return `019a0000-${kind.toString(16).padStart(4, "0")}-7000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** The `initialize` result for a client. */
export function initializeResult(clientInfo: { readonly name: string; readonly version: string }, userAgent?: string): InitializeResponse {
  return {
    userAgent: userAgent ?? `${clientInfo.name}/${PROTOCOL_VERSION} (codex-rx fake app-server) (${clientInfo.name}; ${clientInfo.version})`,
    codexHome: "/fake/codex-home",
    platformFamily: "unix",
    platformOs: "linux",
  };
}

/** What the fake knows of a thread when it builds its `Thread` object. */
export interface ThreadFields {
  readonly id: string;
  readonly cwd: string;
  readonly model: string;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly preview: string;
  readonly name: string | null;
  readonly ephemeral: boolean;
  readonly active: boolean;
}

/** The server's `Thread` object. */
export function threadOf(fields: ThreadFields, turns: Turn[] = []): Thread {
  return {
    id: fields.id,
    sessionId: fields.id,
    forkedFromId: null,
    parentThreadId: null,
    preview: fields.preview,
    ephemeral: fields.ephemeral,
    projectId: null,
    historyMode: "paginated",
    modelProvider: "mock",
    model: fields.model,
    reasoningEffort: null,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    recencyAt: fields.updatedAt,
    status: fields.active ? { type: "active", activeFlags: [] } : { type: "idle" },
    path: null,
    cwd: fields.cwd,
    cliVersion: PROTOCOL_VERSION,
    originator: "codex_rx",
    source: "vscode",
    threadSource: null,
    agentNickname: null,
    agentRole: null,
    gitInfo: null,
    name: fields.name,
    turns,
  };
}

/** The result of `thread/start`, `thread/resume` and `thread/fork`: the thread and its settings. */
export function threadOpenedResult(thread: Thread): ThreadStartResponse {
  return {
    thread,
    model: thread.model ?? "mock-model",
    modelProvider: thread.modelProvider,
    serviceTier: null,
    disabledPluginIds: [],
    cwd: thread.cwd,
    instructionSources: [],
    approvalPolicy: "never",
    approvalsReviewer: "user",
    sandbox: { type: "readOnly", networkAccess: false },
    reasoningEffort: null,
  };
}

/** A `Turn` object: in a `turn/start` result (inProgress, not started), a notification, or `thread/read`. */
export function turnOf(id: string, status: TurnStatus, items: ThreadItem[], times: { startedAt: number | null; completedAt: number | null; durationMs: number | null }, error: TurnError | null = null): Turn {
  return { id, rootTurnId: id, items, itemsView: status === "inProgress" && times.startedAt === null ? "notLoaded" : "summary", status, error, ...times };
}

/** The user's message item: the turn's input, as the server echoes it. */
export function userMessageOf(id: string, input: UserInput[]): ThreadItem {
  return { type: "userMessage", id, clientId: null, content: input };
}

/** The text of a turn's input: its text items, joined by new lines. */
export function promptOf(input: readonly UserInput[]): string {
  return input.flatMap((i) => (i.type === "text" ? [i.text] : [])).join("\n");
}

/** The one model the fake offers (`model/list`). */
export function mockModel(id: string): Model {
  return {
    id,
    model: id,
    upgrade: null,
    displayName: id,
    description: "The fake app-server's model: it echoes the prompt.",
    hidden: false,
    supportedReasoningEfforts: [{ reasoningEffort: "low", description: "Fast responses with lighter reasoning" }],
    defaultReasoningEffort: "low",
    inputModalities: ["text", "image"],
    isDefault: true,
  };
}

/** `thread/started`. */
export function threadStarted(thread: Thread): NotificationOf<"thread/started"> {
  return { method: "thread/started", params: { thread } };
}

/** `thread/status/changed` to active with flags (`waitingOnApproval`), idle, or systemError (a failed turn). */
export function threadStatus(threadId: string, status: "idle" | "systemError" | "waitingOnApproval" | "active"): Notification {
  if (status === "idle" || status === "systemError") return { method: "thread/status/changed", params: { threadId, status: { type: status } } };
  return { method: "thread/status/changed", params: { threadId, status: { type: "active", activeFlags: status === "active" ? [] : [status] } } };
}

/** `account/rateLimits/updated` as the fake model's provider reports it (no limits). */
export function rateLimitsUpdated(): NotificationOf<"account/rateLimits/updated"> {
  const rateLimits: RateLimitSnapshot = {
    limitId: "codex",
    limitName: null,
    normalModelSlug: null,
    primary: null,
    secondary: null,
    credits: null,
    individualLimit: null,
    spendControlReached: null,
    planType: null,
    rateLimitReachedType: null,
  };
  return { method: "account/rateLimits/updated", params: { rateLimits } };
}

/** `thread/tokenUsage/updated` with this turn's usage (`last`) and the thread's running total. */
export function tokenUsageOf(threadId: string, turnId: string, last: { input: number; output: number }, total: { input: number; output: number }): NotificationOf<"thread/tokenUsage/updated"> {
  const breakdown = (u: { input: number; output: number }) => ({
    totalTokens: u.input + u.output,
    inputTokens: u.input,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    outputTokens: u.output,
    reasoningOutputTokens: 0,
  });
  return { method: "thread/tokenUsage/updated", params: { threadId, turnId, tokenUsage: { total: breakdown(total), last: breakdown(last), modelContextWindow: 258400 } } };
}

/** `account/login/completed` of an attempt. */
export function loginCompleted(loginId: string, success: boolean, error: string | null = null): NotificationOf<"account/login/completed"> {
  return { method: "account/login/completed", params: { loginId, success, error } };
}

/** `account/updated` after a login or logout. */
export function accountUpdated(account: Account | null): NotificationOf<"account/updated"> {
  const authMode = account === null ? null : account.type === "apiKey" ? "apikey" : account.type === "chatgpt" ? "chatgpt" : null;
  return { method: "account/updated", params: { authMode, planType: account?.type === "chatgpt" ? account.planType : null } };
}
