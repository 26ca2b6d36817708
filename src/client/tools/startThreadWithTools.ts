import type { ThreadStartParams, ThreadStartResponse } from "../../protocol/generated/index.js";
import type { ExperimentalClientRequestParamsMap } from "../../protocol/generated/experimental.js";
import type { DynamicToolSpec } from "../../protocol/generated/schemas.js";
import type { RpcConnection } from "../../rpc/RpcConnection.js";
import type { ToolSet } from "./ToolSet.js";

/**
 * @internal `thread/start` with the thread's tools as `dynamicTools`, on a connection of the
 * experimental surface (tools are refused before this on any other): the params, `dynamicTools`
 * included, are validated against the experimental schema like every request.
 *
 * @param rpc the connection (experimental surface)
 * @param params the `thread/start` params, without tools
 * @param tools the thread's tools
 * @returns the server's answer
 * @throws {InvalidInputError} when a param is invalid (nothing is sent)
 */
export function startThreadWithTools(rpc: RpcConnection, params: ThreadStartParams, tools: ToolSet): Promise<ThreadStartResponse> {
  const dynamicTools: DynamicToolSpec[] = tools.specs.map((spec) => (spec.type === "namespace" ? { ...spec, tools: spec.tools.map((t) => ({ ...t })) } : { ...spec }));
  const withTools: ExperimentalClientRequestParamsMap["thread/start"] = { ...params, dynamicTools };
  // The connection's static types are the stable surface's; it checks against its own (experimental) one at run time.
  const send = rpc.request.bind(rpc) as (method: "thread/start", params: ExperimentalClientRequestParamsMap["thread/start"]) => Promise<ThreadStartResponse>;
  return send("thread/start", withTools);
}
