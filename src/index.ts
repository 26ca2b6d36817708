// The public surface of codex-rx. Every export is deliberate: nothing here is `export *`.

// Facade
export { Codex, type CodexOptions, type ClientInfo, type ThreadStartOptions, type ThreadResumeOptions } from "./client/Codex.js";
export { Thread, type TurnOptions, type ThreadInfo } from "./client/Thread.js";
export { TurnHandle } from "./client/TurnHandle.js";
export { turnReducer, initialTurnState, type TurnState } from "./client/turnReducer.js";
export { toTurnResult, finalResponseOf, type TurnResult } from "./client/TurnResult.js";
export { text, toUserInputs, type Input } from "./client/inputs.js";

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
} from "./rpc/RpcConnection.js";
export type { Transport } from "./transport/Transport.js";
export { StdioTransport, type StdioTransportOptions } from "./transport/StdioTransport.js";
export { StreamTransport } from "./transport/StreamTransport.js";
export { LineFramer } from "./transport/LineFramer.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "./transport/resolveCodexBinary.js";
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
  type TransportCloseInfo,
  type JsonRpcErrorObject,
  type ProtocolIssue,
} from "./rpc/errors.js";

// The pinned protocol: the types most programs touch, and everything else under `protocol`.
export type {
  InitializeResponse,
  ThreadItem,
  ThreadTokenUsage,
  TokenUsageBreakdown,
  Turn,
  TurnError,
  TurnStatus,
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
