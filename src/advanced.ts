/**
 * `codex-rx/advanced`: the pieces the facade is built from, for code that goes below it: the
 * JSON-RPC connection and the transports it runs on, the reconnect loop and heartbeat, binary
 * resolution and `--config` flags, the preset → wire-field mappings, the handle classes (for
 * `instanceof`), the goal reducer, the key extractors and extra operators, and the error classes
 * that `JsonRpcError.code` or a `cause` already tell apart. Most programs need only `codex-rx`.
 *
 * @module codex-rx/advanced
 */
// Explicit named re-exports only, like the main entry.

// JSON-RPC
export { RpcConnection, type RpcConnectionOptions, type DirectRequest, type SessionRestorer } from "./rpc/RpcConnection.js";
export { loadClientProtocol, type ClientProtocol } from "./protocol/ClientProtocol.js";
// The pinned protocol's zod schemas and method registries (its types are also `protocol` on the main entry)
export * as protocol from "./protocol/generated/index.js";

// Transports and what they are made of
export { StdioTransport, type StdioTransportOptions } from "./transport/StdioTransport.js";
export { StreamTransport } from "./transport/StreamTransport.js";
export { WebSocketTransport } from "./transport/WebSocketTransport.js";
export { LineFramer } from "./transport/LineFramer.js";
export { reconnectLoop, type ReconnectStep } from "./transport/reconnectLoop.js";
export { heartbeat } from "./transport/heartbeat.js";
export { resolveCodexBinary, type ResolveCodexBinaryOptions } from "./transport/resolveCodexBinary.js";
export { toConfigArgs } from "./transport/configArgs.js";
export { backoffDelay, type BackoffOptions } from "./transport/backoffDelay.js";

// The facade's classes and plumbing
export { Thread } from "./client/Thread.js";
export { TurnHandle } from "./client/TurnHandle.js";
export { GoalHandle } from "./client/GoalHandle.js";
export { LoginHandle, ChatgptLoginHandle, DeviceCodeLoginHandle } from "./client/LoginHandle.js";
export { approvalWireFields, sandboxPolicyOf, type ApprovalWireFields } from "./client/presets.js";
export { toServerRequestHandler } from "./client/approvals.js";
export { toUserInputs } from "./client/inputs.js";
export { structuredOutputOf } from "./client/structuredOutput.js";
export { finalResponseOf } from "./client/TurnResult.js";
export { serverVersionOf } from "./client/serverVersion.js";

// Goals as a reduce, like turns
export { goalReducer, initialGoalState } from "./routing/goalReducer.js";
export { toGoalResult } from "./client/GoalResult.js";

// Key extractors and more operators
export { isKnownNotification } from "./protocol/isKnownNotification.js";
export { turnIdOf, threadIdOf } from "./routing/ids.js";
export { loginIdOf } from "./routing/loginIdOf.js";
export { goalUpdates } from "./routing/goalUpdates.js";
export { forGoal } from "./routing/forGoal.js";
