import type { Observable, SchedulerLike } from "rxjs";
import type {
  ClientRequestMethod,
  ClientRequestParamsMap,
  ClientRequestResultMap,
  InitializeResponse,
  ThreadResumeParams,
  ThreadStartParams,
} from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { ProtocolError } from "../rpc/errors.js";
import { RpcConnection, type RequestOptions, type ServerRequestEvent, type ServerRequestHandler } from "../rpc/RpcConnection.js";
import { toConfigArgs } from "../transport/configArgs.js";
import { StdioTransport } from "../transport/StdioTransport.js";
import type { Transport } from "../transport/Transport.js";
import { Thread } from "./Thread.js";

/** Who we are, as sent in `initialize`. */
export interface ClientInfo {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
}

/** How to start (or reach) the app-server. Every field is optional. */
export interface CodexOptions {
  /** The binary; default: the one shipped by the pinned `@openai/codex` (env `CODEX_BIN` overrides too). */
  readonly codexPath?: string;
  /** Merged over `process.env` for the child (`CODEX_HOME`, `OPENAI_API_KEY`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory of the child process. */
  readonly cwd?: string;
  /** Nested config, passed as `--config key=value` (TOML values), e.g. `{ model: "gpt-5.4" }`. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** Sent in `initialize`. Default `{ name: "codex_rx", title: "codex-rx", version }`. */
  readonly clientInfo?: ClientInfo;
  /** Opt into experimental methods (`initialize` capabilities.experimentalApi). */
  readonly experimentalApi?: boolean;
  /** A custom transport; default: spawn the binary over stdio. The stdio options above then do not apply. */
  readonly transport?: Transport;
  /**
   * Answers server → client requests. Without it every server request is answered -32601 (the
   * server never waits on us). Typed per-method approval handlers build on this.
   */
  readonly handleServerRequest?: ServerRequestHandler;
  /** Default timeout of every request; none by default (turns can run for minutes). */
  readonly requestTimeoutMs?: number;
  /** How long `initialize` may take before `Codex.start` fails. Default 30,000 ms. */
  readonly initializeTimeoutMs?: number;
  /** Where timing logic (timeouts) runs; a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
}

/** Options of `threadStart`: the wire's `thread/start` params, camelCase as on the wire. */
export type ThreadStartOptions = ThreadStartParams;
/** Options of `threadResume`: the wire's `thread/resume` params besides the id. */
export type ThreadResumeOptions = Omit<ThreadResumeParams, "threadId">;

const VERSION = "0.1.0";

/**
 * A connected, initialized app-server. Start it with {@link Codex.start}; close it with
 * {@link Codex.close} or `await using`.
 *
 * @example
 * ```ts
 * await using codex = await Codex.start();
 * const thread = await codex.threadStart({ cwd: process.cwd() });
 * const result = await thread.run("Say hello");
 * console.log(result.finalResponse);
 * ```
 */
export class Codex implements AsyncDisposable {
  /** The ONE hot stream of every validated notification, in wire order; everything else is derived from it. */
  readonly notifications$: Observable<Notification>;
  /** Every server → client request, with the answer that was sent. */
  readonly serverRequests$: Observable<ServerRequestEvent>;
  /** A {@link ProtocolError} per malformed message; the other streams go on. */
  readonly protocolErrors$: Observable<ProtocolError>;

  private constructor(
    /** The JSON-RPC connection underneath, for methods the facade does not wrap. */
    readonly rpc: RpcConnection,
    /** The `initialize` response: user agent, CODEX_HOME, platform. */
    readonly metadata: InitializeResponse,
  ) {
    this.notifications$ = rpc.notifications$;
    this.serverRequests$ = rpc.serverRequests$;
    this.protocolErrors$ = rpc.protocolErrors$;
  }

  /**
   * Spawns `codex app-server` (or connects the given transport), sends `initialize` and
   * `initialized`, and resolves when the server is ready.
   *
   * @param options binary, env, config, client info, transport
   * @returns a ready {@link Codex}
   * @throws {CodexBinaryNotFoundError} when the binary is missing
   * @throws {TransportClosedError} when the process dies during start-up
   * @throws {RequestTimeoutError} when `initialize` does not answer in time
   * @example
   * ```ts
   * const codex = await Codex.start({ env: { CODEX_HOME: "/tmp/home" }, config: { model: "gpt-5.4" } });
   * ```
   */
  static async start(options: CodexOptions = {}): Promise<Codex> {
    const transport =
      options.transport ??
      new StdioTransport({
        ...(options.codexPath !== undefined ? { codexPath: options.codexPath } : {}),
        ...(options.env !== undefined ? { env: options.env } : {}),
        ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
        args: ["app-server", ...toConfigArgs(options.config ?? {})],
      });
    const rpc = new RpcConnection(transport, {
      ...(options.handleServerRequest !== undefined ? { handleServerRequest: options.handleServerRequest } : {}),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}),
    });
    try {
      await transport.connect();
      const clientInfo = options.clientInfo ?? { name: "codex_rx", title: "codex-rx", version: VERSION };
      const metadata = await rpc.request(
        "initialize",
        { clientInfo, capabilities: { experimentalApi: options.experimentalApi ?? false } },
        { timeoutMs: options.initializeTimeoutMs ?? 30_000 },
      );
      rpc.notify("initialized");
      return new Codex(rpc, metadata);
    } catch (error) {
      await rpc.close();
      throw error;
    }
  }

  /**
   * Creates a thread (`thread/start`).
   *
   * @param options model, cwd, config, instructions, … (all optional)
   * @returns the {@link Thread}
   * @throws {JsonRpcError} when the server rejects the params
   * @example
   * ```ts
   * const thread = await codex.threadStart({ model: "gpt-5.4", cwd: "/repo", config: { model_reasoning_effort: "high" } });
   * ```
   */
  async threadStart(options: ThreadStartOptions = {}): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/start", options);
    return new Thread(this.rpc, thread);
  }

  /**
   * Re-opens an existing thread (`thread/resume`) to continue it.
   *
   * @param threadId the id of a thread started earlier (this or another process)
   * @param options overrides for the resumed thread
   * @returns the {@link Thread}
   * @throws {JsonRpcError} when no such thread exists
   * @example
   * ```ts
   * const thread = await codex.threadResume("01a20db0-…");
   * await thread.run("Continue where we left off.");
   * ```
   */
  async threadResume(threadId: string, options: ThreadResumeOptions = {}): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/resume", { ...options, threadId });
    return new Thread(this.rpc, thread);
  }

  /**
   * Any client method of the pinned protocol, typed: the escape hatch for what the facade does
   * not wrap yet.
   *
   * @param method a client request method
   * @param params its params
   * @param options timeout, validation
   * @returns the validated result
   * @example
   * ```ts
   * const { data } = await codex.request("model/list", {});
   * ```
   */
  request<M extends ClientRequestMethod>(method: M, params: ClientRequestParamsMap[M], options?: RequestOptions): Promise<ClientRequestResultMap[M]> {
    return this.rpc.request(method, params, options);
  }

  /**
   * Ends the app-server (stdin EOF, then SIGTERM, then SIGKILL) and completes every stream.
   * Pending requests fail with `TransportClosedError`; open turns fail with `TurnIncompleteError`.
   * Idempotent.
   */
  close(): Promise<void> {
    return this.rpc.close();
  }

  /** `await using codex = await Codex.start()` closes it at the end of the scope. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
