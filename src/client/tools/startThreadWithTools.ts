import type { ThreadStartParams, ThreadStartResponse } from "../../protocol/generated/index.js";
import { validateParams } from "../../protocol/validate.js";
import type { RpcConnection } from "../../rpc/RpcConnection.js";
import type { ToolSet } from "./ToolSet.js";

/**
 * @internal `thread/start` with `dynamicTools`. The pinned stable protocol has no such field, so
 * every other param is validated as usual first, and only `dynamicTools` (built and checked by
 * {@link ToolSet.of}) is added after that check.
 *
 * @param rpc the connection
 * @param params the `thread/start` params, without tools
 * @param tools the thread's tools
 * @returns the server's answer
 * @throws {InvalidInputError} when a param is invalid (nothing is sent)
 */
export async function startThreadWithTools(rpc: RpcConnection, params: ThreadStartParams, tools: ToolSet): Promise<ThreadStartResponse> {
  const invalid = validateParams("thread/start", params);
  if (invalid !== undefined) throw invalid;
  const withTools = { ...params, dynamicTools: tools.specs } as ThreadStartParams;
  return rpc.request("thread/start", withTools, { skipParamsValidation: true });
}
