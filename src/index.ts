/**
 * The reactive client for the Codex app-server: {@link Codex}, its threads and turns, the
 * operators that split the one notification stream, the typed errors and the generated protocol.
 *
 * @module codex-rx
 */
// The public surface of codex-rx. Every export is deliberate: nothing here is `export *`.

// Facade
export {
  Codex,
  type CodexOptions,
  type ClientInfo,
  type ThreadStartOptions,
  type ThreadResumeOptions,
  type ThreadForkOptions,
  type ApprovalModeOption,
} from "./client/Codex.js";
export { Thread, type TurnOptions, type TypedTurnOptions, type ThreadInfo } from "./client/Thread.js";
export { ApprovalMode, Sandbox, approvalWireFields, sandboxPolicyOf, type ApprovalWireFields } from "./client/presets.js";
export { toServerRequestHandler, type ApprovalHandler } from "./client/approvals.js";
export { structuredOutputOf, type OutputParser } from "./client/structuredOutput.js";
export { TurnHandle, type TurnHandleInit } from "./client/TurnHandle.js";
export { isGap, GAP_METHOD, type GapNotification } from "./client/reconnect.js";
export { toAsyncIterable, type ToAsyncIterableOptions } from "./client/toAsyncIterable.js";
export { turnReducer, initialTurnState, type TurnState } from "./client/turnReducer.js";
export { toTurnResult, finalResponseOf, type TurnResult } from "./client/TurnResult.js";
export { text, image, localImage, skill, mention, toUserInputs, type Input } from "./client/inputs.js";
export { LoginHandle, ChatgptLoginHandle, DeviceCodeLoginHandle, type LoginCompleted } from "./client/LoginHandle.js";
export { LoginIncompleteError } from "./errors/index.js";
export { AuthRequiredError, type AuthRequiredDetails } from "./errors/index.js";
export { InvalidInputError, PresetConflictError, type InputIssue } from "./errors/index.js";
export { SUPPORTED_SERVER_VERSIONS, serverVersionOf } from "./client/serverVersion.js";
export { UnsupportedServerVersionError } from "./errors/index.js";
export { GoalHandle, type GoalOptions } from "./client/GoalHandle.js";
export { goalReducer, initialGoalState, type GoalState, type GoalStatus } from "./client/goalReducer.js";
export { toGoalResult, type GoalResult } from "./client/GoalResult.js";
export { GoalIncompleteError } from "./errors/index.js";
export type { SetGoalOptions } from "./client/goals.js";
export {
  DEFAULT_LOGIN_START_TIMEOUT_MS,
  DEFAULT_LOGIN_CANCEL_GRACE_MS,
  type LoginStartOptions,
  type LoginChatgptOptions,
} from "./client/login.js";
export type { AccountState, AccountOptions } from "./client/account.js";

// Notifications and routing
export {
  isNotification,
  isKnownNotification,
  type Notification,
  type KnownNotification,
  type UnknownNotification,
  type NotificationOf,
} from "./protocol/notifications.js";
export { forTurn } from "./routing/forTurn.js";
export { forThread } from "./routing/forThread.js";
export { untilTurnCompleted } from "./routing/untilTurnCompleted.js";
export { ofMethod } from "./routing/ofMethod.js";
export { filterByKey } from "./routing/filterByKey.js";
export { turnIdOf, threadIdOf } from "./routing/ids.js";
export { forLogin, type LoginCompletedNotification } from "./routing/forLogin.js";
export { loginIdOf } from "./routing/loginIdOf.js";
export { goalUpdates } from "./routing/goalUpdates.js";
export { forGoal } from "./client/forGoal.js";

// JSON-RPC and transports
export {
  RpcConnection,
  type RpcConnectionOptions,
  type RequestOptions,
  type RequestId,
  type ServerRequest,
  type KnownServerRequest,
  type UnknownServerRequest,
  type ServerRequestOf,
  type ServerRequestEvent,
  type ServerRequestHandler,
  type HandlerResult,
  type DirectRequest,
  type SessionRestorer,
} from "./rpc/RpcConnection.js";
export { retryOnOverload, type RetryOnOverloadOptions, type RetryEvent } from "./rpc/retryOnOverload.js";
export { withRetry } from "./rpc/withRetry.js";
export { backoffDelay, type BackoffOptions } from "./transport/backoffDelay.js";
export type { Transport } from "./transport/Transport.js";
export { StdioTransport, type StdioTransportOptions } from "./transport/StdioTransport.js";
export { StreamTransport } from "./transport/StreamTransport.js";
export { WebSocketTransport, webSocketTransport, unixSocketTransport, type WebSocketTransportOptions } from "./transport/WebSocketTransport.js";
export type { ConnectionState } from "./transport/ConnectionState.js";
export { reconnectLoop, reconnectDefaults, type ReconnectOptions, type ReconnectStep } from "./transport/reconnectLoop.js";
export { heartbeat } from "./transport/heartbeat.js";
export { ConnectionLostError, ReconnectFailedError, HeartbeatTimeoutError } from "./errors/index.js";
export { LineFramer } from "./transport/LineFramer.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "./transport/resolveCodexBinary.js";
export { CodexBinaryNotRunnableError } from "./errors/index.js";
export { toConfigArgs } from "./transport/configArgs.js";

// Errors
export {
  CodexError,
  TransportClosedError,
  CodexBinaryNotFoundError,
  JsonRpcError,
  ParseError,
  InvalidRequestError,
  MethodNotFoundError,
  InvalidParamsError,
  InternalRpcError,
  ServerBusyError,
  RetryLimitExceededError,
  ProtocolError,
  TurnFailedError,
  TurnIncompleteError,
  AbortError,
  RequestTimeoutError,
  StructuredOutputError,
  TransportConnectError,
  type TransportCloseInfo,
  type TransportConnectFailure,
  type JsonRpcErrorObject,
  type ProtocolIssue,
} from "./errors/index.js";

// The pinned protocol: the types most programs touch, and everything else under `protocol`.
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
export * as protocol from "./protocol/generated/index.js";
