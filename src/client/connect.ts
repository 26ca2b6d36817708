import type { InitializeResponse } from "../protocol/generated/index.js";
import { loadClientProtocol } from "../protocol/ClientProtocol.js";
import { RpcConnection } from "../rpc/RpcConnection.js";
import { toConfigArgs } from "../transport/configArgs.js";
import { StdioTransport } from "../transport/StdioTransport.js";
import { toServerRequestHandler } from "./approvals.js";
import { checkCodexOptions } from "./checkCodexOptions.js";
import type { CodexOptions } from "./CodexOptions.js";
import { ConnectionContext } from "./ConnectionContext.js";
import { handshake } from "./handshake.js";
import { packageVersion } from "./packageVersion.js";
import { assertSupportedServer } from "./serverVersion.js";
import { ToolRegistry } from "./tools/ToolRegistry.js";

/** @internal What `Codex.start` builds before it makes the facade. */
export interface Connected {
  readonly context: ConnectionContext;
  readonly metadata: InitializeResponse;
}

/**
 * @internal `Codex.start`: the transport (stdio unless one is given), the connection over it,
 * the handshake (`initialize`, the version check, `initialized`), then the connection's one
 * {@link ConnectionContext} (router, session, account check). On any failure the connection is closed before the error is rethrown.
 */
export async function connect(options: CodexOptions): Promise<Connected> {
  // Before the transport exists: a bad option spawns nothing and dials nothing.
  checkCodexOptions(options);
  const transport =
    options.transport ??
    new StdioTransport({
      ...(options.codexPath !== undefined ? { codexPath: options.codexPath } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      args: ["app-server", ...toConfigArgs(options.config ?? {})],
    });
  // The experimental schemas are a module of their own, loaded only for a client that opts in.
  const protocol = await loadClientProtocol(options.experimentalApi === true ? "experimental" : "stable");
  const answer = toServerRequestHandler(options.approvals, options.handleServerRequest);
  // Assigned right below, before the transport connects: no server request can come earlier.
  let tools: ToolRegistry | undefined;
  const rpc = new RpcConnection(transport, {
    protocol,
    handleServerRequest: (request) => (tools === undefined ? answer(request) : tools.handle(request, answer)),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}),
  });
  tools = new ToolRegistry({ notifications$: rpc.notifications$, experimentalApi: options.experimentalApi ?? false, scheduler: options.scheduler });
  try {
    await transport.connect();
    const clientInfo = options.clientInfo ?? { name: "codex_rx", title: "codex-rx", version: packageVersion() };
    const initialize = { clientInfo, capabilities: { experimentalApi: options.experimentalApi ?? false } };
    // Over a reconnecting transport, a drop before the answer sends initialize again on the next connection.
    const metadata = await handshake(rpc, initialize, options.initializeTimeoutMs ?? 30_000, options.scheduler);
    assertSupportedServer(metadata.userAgent);
    rpc.notify("initialized");
    let accountCheck;
    if (options.authCheck !== false) {
      const apiKey = options.transport === undefined ? (options.env?.["OPENAI_API_KEY"] ?? process.env["OPENAI_API_KEY"]) : undefined;
      accountCheck = { codexHome: metadata.codexHome, apiKeyInEnvironment: apiKey !== undefined && apiKey !== "" };
    }
    // The context's session restores initialize, the threads and the turns in flight when a reconnecting transport comes back.
    return { context: new ConnectionContext(rpc, { initialize, accountCheck, tools, scheduler: options.scheduler }), metadata };
  } catch (error) {
    await rpc.close();
    throw error;
  }
}
