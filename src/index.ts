/**
 * The reactive client for the Codex app-server: {@link Codex}, its threads and turns, the
 * operators that split the one notification stream, the typed errors and the generated protocol.
 *
 * @module codex-rx
 */
// The public surface of codex-rx. Every export is deliberate: nothing here is `export *`.

// Facade. The handles (Thread, TurnHandle, GoalHandle, the login handles) come from the facade
// and are exported as types; their classes, for `instanceof`, are on `codex-rx/advanced`.
export { Codex } from "./client/Codex.js";
export type { CodexAccount } from "./client/CodexAccount.js";
export type { CodexWork } from "./client/CodexWork.js";
export type {
  CodexOptions,
  CommonCodexOptions,
  StdioCodexOptions,
  TransportCodexOptions,
  ClientInfo,
  ThreadStartOptions,
  ThreadResumeOptions,
  ThreadForkOptions,
  ApprovalModeOption,
  ToolsOption,
} from "./client/CodexOptions.js";
export type { Thread, TurnOptions, TypedTurnOptions, ThreadInfo } from "./client/Thread.js";
export type { ThreadGoals } from "./client/ThreadGoals.js";
export type { ReviewOptions } from "./client/review.js";
export type { TurnHandle } from "./client/TurnHandle.js";
export type { GoalHandle, GoalOptions } from "./client/GoalHandle.js";
export type { LoginHandle, ChatgptLoginHandle, DeviceCodeLoginHandle, LoginCompleted } from "./client/LoginHandle.js";
export type { LoginStartOptions, LoginChatgptOptions } from "./client/login.js";
export type { AccountState, AccountOptions } from "./client/account.js";
export type { SetGoalOptions } from "./client/goals.js";
export type { ThreadListPromise } from "./client/threadList.js";
export type { ApprovalHandler } from "./client/approvals.js";
export type { OutputParser } from "./client/structuredOutput.js";
export type { FileChange } from "./client/commands/watch.js";
export type { RemoteFs, FileMetadata, DirectoryEntry } from "./client/RemoteFs.js";
export { isExecExit, type ExecOptions, type ExecEvent, type ExecChunk, type ExecExit, type ExecResult, type ExecTty, type TerminalSize } from "./client/commands/ExecOptions.js";

// Client-side tools: TypeScript functions the model can call
export {
  tool,
  toolNamespace,
  type Tool,
  type ToolOptions,
  type ToolContext,
  type ToolOutput,
  type ToolContentItem,
  type ToolJson,
  type ToolNamespace,
  type ToolEntry,
} from "./client/tools/tool.js";
export type { ToolCallOutcome, ToolCallStatus } from "./client/tools/ToolCallOutcome.js";

// Inputs and presets
export { text, image, localImage, skill, mention, type Input } from "./client/inputs.js";
export { ApprovalMode, Sandbox } from "./client/presets.js";

// Results: the reducer both `reduce` (TurnResult) and `scan` (live snapshots) use
export { turnReducer, initialTurnState, type TurnState } from "./routing/turnReducer.js";
export { toTurnResult, type TurnResult } from "./client/TurnResult.js";
export type { GoalState, GoalStatus } from "./routing/goalReducer.js";
export type { GoalResult } from "./client/GoalResult.js";

// Notifications and the operators for your own pipelines
export {
  isNotification,
  type Notification,
  type KnownNotification,
  type UnknownNotification,
  type NotificationOf,
} from "./protocol/notifications.js";
export { ofMethod } from "./routing/ofMethod.js";
export { forTurn } from "./routing/forTurn.js";
export { forThread } from "./routing/forThread.js";
export { forLogin, type LoginCompletedNotification } from "./routing/forLogin.js";
export { untilTurnCompleted } from "./routing/untilTurnCompleted.js";
export { filterByKey } from "./routing/filterByKey.js";
export { toAsyncIterable, type ToAsyncIterableOptions } from "./client/toAsyncIterable.js";
export { isGap, type GapNotification } from "./client/GapNotification.js";

// Retries
export { retryOnOverload, type RetryOnOverloadOptions, type RetryEvent } from "./rpc/retryOnOverload.js";
export { withRetry } from "./rpc/withRetry.js";

// Server requests (what `approvals` and `handleServerRequest` get and return) and request options
export type {
  RequestOptions,
  RequestId,
  ServerRequest,
  KnownServerRequest,
  UnknownServerRequest,
  ServerRequestOf,
  ServerRequestEvent,
  ServerRequestHandler,
  HandlerResult,
} from "./rpc/RpcConnection.js";

// Transports a user picks (stdio is the default: no transport at all)
export type { Transport } from "./transport/Transport.js";
export { webSocketTransport, unixSocketTransport, type WebSocketTransportOptions } from "./transport/WebSocketTransport.js";
export type { ReconnectOptions } from "./transport/reconnectLoop.js";
export type { ConnectionState } from "./transport/ConnectionState.js";

// Errors: every class codex-rx throws, so that `instanceof` works from the main entry alone (the
// Python SDK's users catch InvalidParamsError, MethodNotFoundError, … by name).
export {
  CodexError,
  AbortError,
  TransportClosedError,
  CodexBinaryNotFoundError,
  CodexBinaryNotRunnableError,
  TransportConnectError,
  ConnectionLostError,
  ReconnectFailedError,
  TransportAlreadyConnectedError,
  HeartbeatTimeoutError,
  JsonRpcError,
  ParseError,
  InvalidRequestError,
  MethodNotFoundError,
  InvalidParamsError,
  InternalRpcError,
  ServerBusyError,
  RetryLimitExceededError,
  RequestTimeoutError,
  ProtocolError,
  InvalidInputError,
  ExperimentalApiRequiredError,
  PresetConflictError,
  TurnFailedError,
  TurnIncompleteError,
  StructuredOutputError,
  AuthRequiredError,
  LoginIncompleteError,
  GoalIncompleteError,
  UnsupportedServerVersionError,
  type TransportCloseInfo,
  type TransportConnectFailure,
  type JsonRpcErrorObject,
  type ProtocolIssue,
  type InputIssue,
  type AuthRequiredDetails,
} from "./errors/index.js";

// The pinned protocol: the types most programs touch, and everything else under `protocol` (types
// only: the zod schemas are `protocol` on `codex-rx/advanced`, loaded by a connection when it starts).
export type {
  InitializeResponse,
  Account,
  AuthMode,
  CancelLoginAccountStatus,
  ThreadItem,
  ThreadTokenUsage,
  TokenUsageBreakdown,
  Turn,
  TurnError,
  ErrorNotification,
  TurnStatus,
  ThreadGoal,
  ThreadGoalStatus,
  ReviewTarget,
  ReviewDelivery,
  SandboxPolicy,
  UserInput,
  MessagePhase,
  ServerNotificationMethod,
  ServerNotificationParamsMap,
  ClientRequestMethod,
  ClientRequestParamsMap,
  ClientRequestResultMap,
  ServerRequestMethod,
  ServerRequestParamsMap,
  ServerRequestResultMap,
} from "./protocol/generated/index.js";
export type * as protocol from "./protocol/generated/index.js";
export type { ProtocolSurface, RequestMethodOf, RequestParamsOf, RequestResultOf } from "./protocol/ClientProtocol.js";
export type {
  ExperimentalClientRequestMethod,
  ExperimentalClientRequestParamsMap,
  ExperimentalClientRequestResultMap,
} from "./protocol/generated/experimental.js";
// Types only: the experimental schemas load with Codex.start({ experimentalApi: true }), not here.
export type * as experimentalProtocol from "./protocol/generated/experimental.js";
