import type { ServerRequestMethod, ServerRequestParamsMap, ServerRequestResultMap } from "../protocol/generated/index.js";
import type { HandlerResult, ServerRequest, ServerRequestHandler, ServerRequestOf } from "../rpc/RpcConnection.js";

/**
 * Answers the server → client requests, one typed callback per method. Despite its name it covers
 * every server request of the pinned protocol (0.171.0 has ten), not only approvals:
 *
 * | kind | methods |
 * |---|---|
 * | approvals | `item/commandExecution/requestApproval`, `item/fileChange/requestApproval`, `item/permissions/requestApproval`, and the older `execCommandApproval`, `applyPatchApproval` |
 * | questions to the user | `item/tool/requestUserInput` (the model's questions), `mcpServer/elicitation/request` (an MCP server's form or URL) |
 * | tools and auth | `item/tool/call` (a dynamic tool the client provides), `account/chatgptAuthTokens/refresh`, `attestation/generate` |
 *
 * Each callback gets the request's params, already validated against the method's schema (params
 * that fail it are answered -32602 before any callback runs), and the whole request (`id`,
 * `method`, `params`). It returns the method's typed result: directly, as a Promise, or as an
 * Observable (its first value is sent). Returning `undefined` (synchronously) declines (-32601), a callback that
 * throws (or rejects, or errors) is answered -32603, and a method without a callback goes to
 * `CodexOptions.handleServerRequest` (which also sees methods newer than the pinned protocol),
 * else -32601. The server never waits forever. Every request and its answer show on
 * `codex.serverRequests$` and, during a turn, on `turn.serverRequests$`. For `item/tool/call`, a
 * thread's own client-side tools (`threadStart({ tools })`) answer first; the callback gets the
 * calls no tool takes, and a call nobody takes is answered `success: false` naming the tool.
 *
 * @example
 * ```ts
 * const codex = await Codex.start({
 *   approvals: {
 *     "item/commandExecution/requestApproval": ({ command }) => ({ decision: command?.includes("rm ") ? "decline" : "accept" }),
 *     "item/fileChange/requestApproval": () => ({ decision: "accept" }),
 *     "item/tool/requestUserInput": ({ questions }) => ({ answers: Object.fromEntries(questions.map((q) => [q.id, { answers: ["yes"] }])) }),
 *   },
 * });
 * ```
 */
export type ApprovalHandler = {
  readonly [M in ServerRequestMethod]?: (params: ServerRequestParamsMap[M], request: ServerRequestOf<M>) => HandlerResult<ServerRequestResultMap[M]>;
};

/**
 * Joins typed per-method callbacks and a catch-all handler into the one handler the connection
 * calls: the method's callback first, else `fallback`, else nothing (→ -32601).
 *
 * @param approvals per-method callbacks
 * @param fallback the low-level handler (`CodexOptions.handleServerRequest`)
 * @returns a {@link ServerRequestHandler}
 */
export function toServerRequestHandler(approvals: ApprovalHandler | undefined, fallback: ServerRequestHandler | undefined): ServerRequestHandler {
  return (request: ServerRequest) => {
    const callback = approvals !== undefined && Object.prototype.hasOwnProperty.call(approvals, request.method) ? approvals[request.method as ServerRequestMethod] : undefined;
    if (callback !== undefined) {
      // The connection validated params against the method's schema, so the cast only restates it.
      const typed = callback as (params: unknown, request: ServerRequest) => HandlerResult<unknown>;
      return typed(request.params, request);
    }
    return fallback?.(request);
  };
}
