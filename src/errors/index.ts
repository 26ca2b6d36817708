// The errors leaf's one door: every layer imports its errors from here.

export {
  CodexError,
  AbortError,
  abortErrorOf,
} from "./CodexError.js";
export {
  TransportClosedError,
  CodexBinaryNotFoundError,
  TransportConnectError,
  CodexBinaryNotRunnableError,
  ConnectionLostError,
  ReconnectFailedError,
  HeartbeatTimeoutError,
  TransportAlreadyConnectedError,
  type TransportCloseInfo,
  type TransportConnectFailure,
} from "./transport.js";
export {
  JsonRpcError,
  ParseError,
  InvalidRequestError,
  MethodNotFoundError,
  InvalidParamsError,
  InternalRpcError,
  ServerBusyError,
  RetryLimitExceededError,
  RequestTimeoutError,
  type JsonRpcErrorObject,
} from "./rpc.js";
export {
  ProtocolError,
  InvalidInputError,
  invalidInput,
  ExperimentalApiRequiredError,
  PresetConflictError,
  dottedPath,
  type ProtocolIssue,
  type InputIssue,
} from "./protocol.js";
export {
  TurnFailedError,
  TurnIncompleteError,
  StructuredOutputError,
  AuthRequiredError,
  LoginIncompleteError,
  GoalIncompleteError,
  UnsupportedServerVersionError,
  type AuthRequiredDetails,
} from "./client.js";
export { asCodexError, assertNever, isPlainObject, messageOf, nearest } from "./helpers.js";
