import type { Observable } from "rxjs";
import type { ProtocolSurface, RequestMethodOf, RequestParamsOf, RequestResultOf } from "../protocol/ClientProtocol.js";
import type {
  InitializeResponse,
  ModelListParams,
  ModelListResponse,
  ThreadListParams,
} from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { ProtocolError } from "../errors/index.js";
import type { RequestOptions, ServerRequestEvent } from "../rpc/RpcConnection.js";
import type { ConnectionState } from "../transport/ConnectionState.js";
import type { CodexOptions, ThreadForkOptions, ThreadResumeOptions, ThreadStartOptions } from "./CodexOptions.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import type { Thread } from "./Thread.js";
import type { ThreadListPromise } from "./threadList.js";
import type { ToolCallOutcome } from "./tools/ToolCallOutcome.js";
import { CodexWork } from "./CodexWork.js";

/**
 * A connected, initialized app-server. Start it with {@link Codex.start}; close it with
 * {@link Codex.close} or `await using`.
 *
 * `S` is the protocol surface the client speaks: `"stable"` (the default), or `"experimental"` for
 * a client started with `{ experimentalApi: true }`, whose {@link Codex.request} and thread options
 * also take the experimental methods and fields (typed, and validated like the stable ones).
 *
 * @example
 * ```ts
 * await using codex = await Codex.start();
 * const thread = await codex.threadStart({ cwd: process.cwd() });
 * const result = await thread.run("Say hello");
 * console.log(result.finalResponse);
 * ```
 */
export class Codex<S extends ProtocolSurface = "stable"> extends CodexWork implements AsyncDisposable {
  /** The ONE hot stream of every validated notification, in wire order; everything else is derived from it. */
  readonly notifications$: Observable<Notification>;
  /** Every server → client request, with the answer that was sent. */
  readonly serverRequests$: Observable<ServerRequestEvent>;
  /** A {@link ProtocolError} per malformed message; the other streams go on. */
  readonly protocolErrors$: Observable<ProtocolError>;

  private constructor(
    context: ConnectionContext,
    /** The `initialize` response: user agent, CODEX_HOME, platform. */
    readonly metadata: InitializeResponse,
  ) {
    super(context);
    const rpc = context.rpc;
    this.notifications$ = rpc.notifications$;
    this.serverRequests$ = rpc.serverRequests$;
    this.protocolErrors$ = rpc.protocolErrors$;
    this.toolCalls$ = context.tools.toolCalls$;
  }

  /**
   * Every call of a client-side tool (`tool()`) on this client, with the answer sent: the call,
   * its status (`completed`, `invalidArguments`, `failed`, `timedOut`, `aborted`, `noHandler`),
   * the response, the error `execute` threw, the duration. Hot; completes when the client closes.
   *
   * @example
   * ```ts
   * codex.toolCalls$.subscribe(({ call, status, error }) => console.log(call.tool, status, error ?? ""));
   * ```
   */
  readonly toolCalls$: Observable<ToolCallOutcome>;

  /**
   * Spawns `codex app-server` (or connects the given transport), sends `initialize` and
   * `initialized`, and resolves when the server is ready.
   *
   * @param options binary, env, config, client info, transport; `experimentalApi: true` for the
   *   experimental surface (a `Codex<"experimental">`; its schemas are loaded then, not at import)
   * @returns a ready {@link Codex}
   * @throws {CodexBinaryNotFoundError} when the binary is missing
   * @throws {CodexBinaryNotRunnableError} when the binary exists but cannot be run
   * @throws {InvalidInputError} when an option is unknown (`aprovals`: did you mean `approvals`?) or of the wrong type, before anything is spawned or dialled; or when `cwd` does not exist or is not a directory
   * @throws {TransportClosedError} when the process dies during start-up (its message leads with the server's explanation)
   * @throws {RequestTimeoutError} when `initialize` does not answer in time (waits for a reconnect included)
   * @throws {ReconnectFailedError} when a reconnecting transport drops during `initialize` and gives up
   * @throws {UnsupportedServerVersionError} when the server is older than the supported range (the error carries the `minimum`)
   * @example
   * ```ts
   * const codex = await Codex.start({ env: { CODEX_HOME: "/tmp/home" }, config: { model: "gpt-5.4" } });
   * const lab = await Codex.start({ experimentalApi: true }); // Codex<"experimental">
   * ```
   */
  static start(options: CodexOptions & { readonly experimentalApi: true }): Promise<Codex<"experimental">>;
  static start(options?: CodexOptions): Promise<Codex>;
  static async start(options: CodexOptions = {}): Promise<Codex<ProtocolSurface>> {
    // The connection's machinery (transports, JSON-RPC, router, the protocol's schemas) is loaded
    // by the first start, not by `import "codex-rx"`: a program pays for it when it connects.
    const { connect } = await import("./connect.js");
    const { context, metadata } = await connect(options);
    return new Codex(context, metadata);
  }

  /**
   * Creates a thread (`thread/start`).
   *
   * @param options model, cwd, config, instructions, … and `tools` (all optional)
   * @returns the {@link Thread}
   * @throws {InvalidInputError} when an option is unknown or mistyped, or a tool name breaks the server's rules or repeats (nothing is sent)
   * @throws {ExperimentalApiRequiredError} for `tools` or an experimental field on a client started without `experimentalApi: true`
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when the server rejects the params
   * @example
   * ```ts
   * const thread = await codex.threadStart({ model: "gpt-5.4", cwd: "/repo", config: { model_reasoning_effort: "high" } });
   * ```
   */
  threadStart(options?: ThreadStartOptions<S>): Promise<Thread> {
    return this.context.threadService.start(options);
  }

  /**
   * Re-opens an existing thread (`thread/resume`) to continue it.
   *
   * @param threadId the id of a thread started earlier (this or another process)
   * @param options overrides for the resumed thread; `tools` to answer the calls of the tools the
   *   thread was started with (the server keeps them; nothing about tools is sent)
   * @returns the {@link Thread}
   * @throws {InvalidInputError} when an option is unknown or mistyped, or `tools` are invalid (nothing is sent)
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when no such thread exists
   * @example
   * ```ts
   * const thread = await codex.threadResume("01a20db0-…");
   * await thread.run("Continue where we left off.");
   * ```
   */
  threadResume(threadId: string, options?: ThreadResumeOptions<S>): Promise<Thread> {
    return this.context.threadService.resume(threadId, options);
  }

  /**
   * Copies a thread into a new one (`thread/fork`) that continues from its history; the original
   * is unchanged.
   *
   * @param threadId the thread to fork
   * @param options overrides for the fork (`lastTurnId` to fork from an earlier turn, model, …);
   *   `tools` to answer its calls (default: the handlers the source thread has on this client)
   * @returns the new {@link Thread}
   * @throws {InvalidInputError} when an option is unknown or mistyped, or `tools` are invalid (nothing is sent)
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when no such thread exists
   * @example
   * ```ts
   * const branch = await codex.threadFork(thread.id);
   * await branch.run("Try the other approach instead.");
   * ```
   */
  threadFork(threadId: string, options?: ThreadForkOptions<S>): Promise<Thread> {
    return this.context.threadService.fork(threadId, options);
  }

  /**
   * Stored threads (`thread/list`), newest first by default: await the result for one page, or
   * iterate it with `for await` for every thread across pages (see {@link ThreadListPromise}).
   *
   * @param params filters (`archived`, `cwd`, `searchTerm`, `modelProviders`, `sourceKinds`, …),
   *   `limit`, `cursor`, `sortKey`, `sortDirection`
   * @returns a {@link ThreadListPromise}: awaited, `{ data, nextCursor }` (pass `nextCursor` back as
   *   `cursor` for the next page); iterated, each thread of each page
   * @throws {InvalidInputError} when a param is unknown or mistyped (nothing is sent)
   * @throws {JsonRpcError} when the server rejects the params
   * @example
   * ```ts
   * const { data, nextCursor } = await codex.threadList({ limit: 20, archived: false });
   * for await (const info of codex.threadList({ searchTerm: "auth" })) console.log(info.id, info.name);
   * ```
   */
  threadList(params: ThreadListParams = {}): ThreadListPromise {
    return this.context.threadService.list(params);
  }

  /**
   * Archives a thread (`thread/archive`): it leaves the default listing, its history is kept.
   *
   * @param threadId the thread
   * @throws {JsonRpcError} when no such thread exists
   */
  threadArchive(threadId: string): Promise<void> {
    return this.context.threadService.archive(threadId);
  }

  /**
   * Brings an archived thread back (`thread/unarchive`).
   *
   * @param threadId the thread
   * @returns the {@link Thread}, ready to continue
   * @throws {JsonRpcError} when no such thread exists
   */
  threadUnarchive(threadId: string): Promise<Thread> {
    return this.context.threadService.unarchive(threadId);
  }

  /**
   * The models this server offers (`model/list`).
   *
   * @param params `includeHidden`, `modelProvider`, `limit`, `cursor`
   * @returns `{ data, nextCursor }`
   * @example
   * ```ts
   * const { data } = await codex.models({ includeHidden: true });
   * ```
   */
  models(params: ModelListParams = {}): Promise<ModelListResponse> {
    return this.rpc.request("model/list", params);
  }

  /**
   * The connection's state: `open` now (replayed to every new subscriber), then — over a
   * reconnecting transport (`webSocketTransport(url, { reconnect })`) — `reconnecting` with
   * `attempt` and `error` after a drop and `open` again once initialized and every live thread
   * resumed; finally `closed` (with `error` unless `close()` ended it), and complete. Over stdio:
   * `open`, then `closed` (a subscriber that comes after the end gets `closed` alone).
   *
   * @example
   * ```ts
   * codex.connection$.subscribe(({ state, attempt, error }) => console.log(state, attempt ?? "", error?.message ?? ""));
   * ```
   */
  get connection$(): Observable<ConnectionState> {
    return this.context.connection$;
  }

  /**
   * Any client method of the pinned protocol, typed: the one way to send what the facade does not
   * wrap (the connection underneath is not public). The params are validated like the facade's;
   * the result is validated against the method's schema. On a `Codex<"experimental">` the
   * experimental methods and fields are typed and validated too; on a stable client they are
   * refused with `ExperimentalApiRequiredError` (nothing is sent). A Promise: for an Observable (e.g. to
   * retry with `retryOnOverload`), wrap it in `defer(() => codex.request(…))`, which sends a new
   * request per subscription.
   *
   * @param method a client request method
   * @param params its params
   * @param options timeout, validation (`skipParamsValidation` to send fields the pinned protocol does not know)
   * @returns the validated result
   * @throws {InvalidInputError} when the params do not match the pinned protocol (nothing is sent)
   * @throws {ExperimentalApiRequiredError} for an experimental method or field on a client started without `experimentalApi: true`
   * @throws {JsonRpcError} when the server answers with an error
   * @throws {RequestTimeoutError} when `timeoutMs` (or `requestTimeoutMs`) passes without an answer
   * @throws {TransportClosedError} when the connection ends first
   * @example
   * ```ts
   * const { data } = await codex.request("model/list", {});
   * const models = await firstValueFrom(defer(() => codex.request("model/list", {})).pipe(retryOnOverload()));
   * ```
   */
  request<M extends RequestMethodOf<S>>(method: M, params: RequestParamsOf<S, M>, options?: RequestOptions): Promise<RequestResultOf<S, M>> {
    // The connection checks params and result against its own surface at run time (the one
    // `experimentalApi` chose); its static types are the stable surface's, so S's are applied here.
    const send = this.rpc.request.bind(this.rpc) as (method: string, params: unknown, options?: RequestOptions) => Promise<unknown>;
    return send(method, params, options) as Promise<RequestResultOf<S, M>>;
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
