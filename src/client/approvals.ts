import type { ServerRequestMethod, ServerRequestParamsMap, ServerRequestResultMap } from "../protocol/generated/index.js";
import type { HandlerResult, ServerRequest, ServerRequestHandler, ServerRequestOf } from "../rpc/RpcConnection.js";

/**
 * Answers server → client requests, one typed callback per method: approvals
 * (`item/commandExecution/requestApproval`, `item/fileChange/requestApproval`,
 * `item/permissions/requestApproval`), `item/tool/requestUserInput`,
 * `mcpServer/elicitation/request`, and the rest of the pinned protocol's server requests. Each
 * callback gets the typed params and returns the typed result: directly, as a Promise, or as an
 * Observable (its first value is sent). A method without a callback is answered -32601; a callback
 * that throws (or rejects, or errors) is answered -32603. The server never waits forever.
 *
 * @example
 * ```ts
 * const codex = await Codex.start({
 *   approvals: {
 *     "item/commandExecution/requestApproval": ({ command }) => ({ decision: command?.includes("rm ") ? "decline" : "accept" }),
 *     "item/fileChange/requestApproval": () => ({ decision: "accept" }),
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
