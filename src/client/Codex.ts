import { Observable, type SchedulerLike, type Subscription } from "rxjs";
import type {
  ClientRequestMethod,
  ClientRequestParamsMap,
  ClientRequestResultMap,
  InitializeResponse,
  ModelListParams,
  ModelListResponse,
  ThreadForkParams,
  ThreadListParams,
  ThreadListResponse,
  ThreadResumeParams,
  ThreadStartParams,
} from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { ProtocolError } from "../errors/index.js";
import { RpcConnection, type RequestOptions, type ServerRequestEvent, type ServerRequestHandler } from "../rpc/RpcConnection.js";
import { toConfigArgs } from "../transport/configArgs.js";
import { StdioTransport } from "../transport/StdioTransport.js";
import type { Transport } from "../transport/Transport.js";
import type { ConnectionState } from "../transport/ConnectionState.js";
import { handshake } from "./handshake.js";
import { Session } from "./reconnect.js";
import { toServerRequestHandler, type ApprovalHandler } from "./approvals.js";
import { threadPresetParams, type ApprovalMode } from "./presets.js";
import { assertSupportedServer } from "./serverVersion.js";
import { Thread, type ThreadInfo } from "./Thread.js";
import { enableAccountCheck } from "./authCheck.js";
import { accountState$, logout, readAccount, type AccountOptions, type AccountState } from "./account.js";
import { loginApiKey, startChatgptLogin, startDeviceCodeLogin, type LoginChatgptOptions, type LoginStartOptions } from "./login.js";
import type { ChatgptLoginHandle, DeviceCodeLoginHandle } from "./LoginHandle.js";

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
   * Typed answers to server → client requests, one callback per method (approvals, user input,
   * elicitations, …). A method without a callback falls through to `handleServerRequest`, and
   * without that is answered -32601: the server never waits on us.
   */
  readonly approvals?: ApprovalHandler;
  /** The low-level catch-all for server requests `approvals` does not cover (return `undefined` to decline). */
  readonly handleServerRequest?: ServerRequestHandler;
  /** Default timeout of every request; none by default (turns can run for minutes). */
  readonly requestTimeoutMs?: number;
  /** How long `initialize` may take before `Codex.start` fails. Default 30,000 ms. */
  readonly initializeTimeoutMs?: number;
  /** Where timing logic (timeouts) runs; a `TestScheduler` in tests. */
  readonly scheduler?: SchedulerLike;
  /**
   * Check the login before each turn (default true): when the model provider requires OpenAI auth
   * and there is none, the turn fails at once with `AuthRequiredError` instead of the server
   * retrying forever. One `account/read` per client, read again after `account/updated`. Set
   * false for a provider that authenticates otherwise.
   */
  readonly authCheck?: boolean;
}

/** An approval preset, accepted by every thread-opening method. */
export interface ApprovalModeOption {
  /**
   * An approval preset (see {@link ApprovalMode}); wins over `approvalPolicy` /
   * `approvalsReviewer`. `dangerouslyBypassApprovalsAndSandbox` also opens the sandbox; together
   * with an explicit restricted `sandbox` it is refused (`PresetConflictError`), never weakened.
   */
  readonly approvalMode?: ApprovalMode;
}
/** Options of `threadStart`: the wire's `thread/start` params (camelCase, as on the wire) and a preset. */
export type ThreadStartOptions = ThreadStartParams & ApprovalModeOption;
/** Options of `threadResume`: the wire's `thread/resume` params besides the id, and a preset. */
export type ThreadResumeOptions = Omit<ThreadResumeParams, "threadId"> & ApprovalModeOption;
/** Options of `threadFork`: the wire's `thread/fork` params besides the id, and a preset. */
export type ThreadForkOptions = Omit<ThreadForkParams, "threadId"> & ApprovalModeOption;

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
    private readonly session: Session,
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
   * @throws {CodexBinaryNotRunnableError} when the binary exists but cannot be run
   * @throws {InvalidInputError} when `cwd` does not exist or is not a directory
   * @throws {TransportClosedError} when the process dies during start-up (its message leads with the server's explanation)
   * @throws {RequestTimeoutError} when `initialize` does not answer in time (waits for a reconnect included)
   * @throws {ReconnectFailedError} when a reconnecting transport drops during `initialize` and gives up
   * @throws {UnsupportedServerVersionError} when the server is older than {@link SUPPORTED_SERVER_VERSIONS}
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
      handleServerRequest: toServerRequestHandler(options.approvals, options.handleServerRequest),
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.scheduler !== undefined ? { scheduler: options.scheduler } : {}),
    });
    try {
      await transport.connect();
      const clientInfo = options.clientInfo ?? { name: "codex_rx", title: "codex-rx", version: VERSION };
      const initialize = { clientInfo, capabilities: { experimentalApi: options.experimentalApi ?? false } };
      // Over a reconnecting transport, a drop before the answer sends initialize again on the next connection.
      const metadata = await handshake(rpc, initialize, options.initializeTimeoutMs ?? 30_000, options.scheduler);
      assertSupportedServer(metadata.userAgent);
      rpc.notify("initialized");
      if (options.authCheck !== false) {
        const apiKey = options.transport === undefined ? (options.env?.["OPENAI_API_KEY"] ?? process.env["OPENAI_API_KEY"]) : undefined;
        enableAccountCheck(rpc, { codexHome: metadata.codexHome, apiKeyInEnvironment: apiKey !== undefined && apiKey !== "" });
      }
      // Restores the session (initialize, thread/resume, turns in flight) when a reconnecting transport comes back.
      return new Codex(rpc, metadata, new Session(rpc, initialize));
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
   * @throws {InvalidInputError} when an option is unknown or mistyped (nothing is sent)
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when the server rejects the params
   * @example
   * ```ts
   * const thread = await codex.threadStart({ model: "gpt-5.4", cwd: "/repo", config: { model_reasoning_effort: "high" } });
   * ```
   */
  async threadStart(options: ThreadStartOptions = {}): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/start", threadPresetParams("thread/start", options));
    return new Thread(this.rpc, thread);
  }

  /**
   * Re-opens an existing thread (`thread/resume`) to continue it.
   *
   * @param threadId the id of a thread started earlier (this or another process)
   * @param options overrides for the resumed thread
   * @returns the {@link Thread}
   * @throws {InvalidInputError} when an option is unknown or mistyped (nothing is sent)
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when no such thread exists
   * @example
   * ```ts
   * const thread = await codex.threadResume("01a20db0-…");
   * await thread.run("Continue where we left off.");
   * ```
   */
  async threadResume(threadId: string, options: ThreadResumeOptions = {}): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/resume", { ...threadPresetParams("thread/resume", options), threadId });
    return new Thread(this.rpc, thread);
  }

  /**
   * Copies a thread into a new one (`thread/fork`) that continues from its history; the original
   * is unchanged.
   *
   * @param threadId the thread to fork
   * @param options overrides for the fork (`lastTurnId` to fork from an earlier turn, model, …)
   * @returns the new {@link Thread}
   * @throws {InvalidInputError} when an option is unknown or mistyped (nothing is sent)
   * @throws {PresetConflictError} for `dangerouslyBypassApprovalsAndSandbox` with a restricted `sandbox`
   * @throws {JsonRpcError} when no such thread exists
   * @example
   * ```ts
   * const branch = await codex.threadFork(thread.id);
   * await branch.run("Try the other approach instead.");
   * ```
   */
  async threadFork(threadId: string, options: ThreadForkOptions = {}): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/fork", { ...threadPresetParams("thread/fork", options), threadId });
    return new Thread(this.rpc, thread);
  }

  /**
   * One page of stored threads (`thread/list`), newest first by default.
   *
   * @param params filters (`archived`, `cwd`, `searchTerm`, `modelProviders`, `sourceKinds`, …),
   *   `limit`, `cursor`, `sortKey`, `sortDirection`
   * @returns `{ data, nextCursor }`: pass `nextCursor` back as `cursor` for the next page
   * @example
   * ```ts
   * const { data, nextCursor } = await codex.threadList({ limit: 20, archived: false });
   * ```
   */
  threadList(params: ThreadListParams = {}): Promise<ThreadListResponse> {
    return this.rpc.request("thread/list", params);
  }

  /**
   * Every page of `thread/list`, following `nextCursor` until there is none. Cold and lazy: each
   * subscription starts from `params.cursor`, a page is fetched only after the previous one was
   * delivered, and unsubscribing stops the paging.
   *
   * @param params filters and page size, as {@link Codex.threadList}
   * @returns an Observable of pages, completing after the last
   * @example
   * ```ts
   * codex.threadList$({ limit: 50 }).pipe(mergeMap((page) => page.data), take(200)).subscribe(show);
   * ```
   */
  threadList$(params: ThreadListParams = {}): Observable<ThreadListResponse> {
    return new Observable<ThreadListResponse>((subscriber) => {
      let current: Subscription | undefined;
      const fetch = (cursor: string | null | undefined): void => {
        current = this.rpc.request$("thread/list", cursor === undefined ? params : { ...params, cursor }).subscribe({
          next: (page) => {
            subscriber.next(page);
            // Checked after delivery: a subscriber that has enough (take, first) stops the paging
            // here, before another request is sent.
            if (subscriber.closed) return;
            if (page.nextCursor) fetch(page.nextCursor);
            else subscriber.complete();
          },
          error: (error: unknown) => subscriber.error(error),
        });
      };
      fetch(params.cursor);
      return () => current?.unsubscribe();
    });
  }

  /**
   * Every stored thread matching `params`, across pages, as an async iterator (for code that
   * does not use RxJS). `break` stops the paging.
   *
   * @param params filters and page size, as {@link Codex.threadList}
   * @returns the threads, one by one
   * @example
   * ```ts
   * for await (const info of codex.threads({ searchTerm: "auth" })) console.log(info.id, info.name);
   * ```
   */
  async *threads(params: ThreadListParams = {}): AsyncGenerator<ThreadInfo, void, undefined> {
    let cursor = params.cursor;
    do {
      const page: ThreadListResponse = await this.threadList(cursor === undefined ? params : { ...params, cursor });
      yield* page.data;
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * Archives a thread (`thread/archive`): it leaves the default listing, its history is kept.
   *
   * @param threadId the thread
   * @throws {JsonRpcError} when no such thread exists
   */
  async threadArchive(threadId: string): Promise<void> {
    await this.rpc.request("thread/archive", { threadId });
  }

  /**
   * Brings an archived thread back (`thread/unarchive`).
   *
   * @param threadId the thread
   * @returns the {@link Thread}, ready to continue
   * @throws {JsonRpcError} when no such thread exists
   */
  async threadUnarchive(threadId: string): Promise<Thread> {
    const { thread } = await this.rpc.request("thread/unarchive", { threadId });
    return new Thread(this.rpc, thread);
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
    return this.session.connection$;
  }

  // ── Login and account ────────────────────────────────────────────────────────────────────

  /**
   * Logs in with an OpenAI API key (`account/login/start` type `apiKey`). Completes at once: the
   * server stores the key in CODEX_HOME (auth mode `apikey`), then sends `account/updated`.
   *
   * @param apiKey the key (`sk-…`)
   * @throws {JsonRpcError} when the server rejects it
   * @example
   * ```ts
   * await codex.loginApiKey(process.env.OPENAI_API_KEY!);
   * ```
   */
  loginApiKey(apiKey: string): Promise<void> {
    return loginApiKey(this.rpc, apiKey);
  }

  /**
   * Starts a ChatGPT browser login. The app-server opens a local callback server and answers with the URL to open; the handle's `completed$`
   * emits when the browser comes back, or when the attempt is cancelled or replaced by a newer
   * login (on this server, or on another codex process that takes the callback port), with
   * `success: false`.
   *
   * @param options optional wire fields (`appBrand`, …) and `timeoutMs` (default 30 s)
   * @returns the {@link ChatgptLoginHandle}: `loginId`, `authUrl`, `completed$`, `wait()`, `cancel()`
   * @throws {JsonRpcError} when the server refuses to start the login
   * @throws {RequestTimeoutError} when the server does not answer within `timeoutMs`
   * @example
   * ```ts
   * await using login = await codex.loginChatgpt();
   * console.log("Open", login.authUrl);
   * const { success, error } = await login.wait();
   * ```
   */
  loginChatgpt(options: LoginChatgptOptions = {}): Promise<ChatgptLoginHandle> {
    return startChatgptLogin(this.rpc, options);
  }

  /**
   * Starts a ChatGPT device-code login. The server first asks auth.openai.com for a code, so this
   * needs the network: without it the server answers -32603 "failed to request device code"
   * (an `InternalRpcError`). The answer is bounded by `timeoutMs` (default 30 s), so it never hangs.
   *
   * @param options `timeoutMs`, `cancelGraceMs`
   * @returns the {@link DeviceCodeLoginHandle}: `loginId`, `verificationUrl`, `userCode`, `completed$`, `wait()`, `cancel()`
   * @throws {InternalRpcError} when the server cannot get a device code (e.g. no network)
   * @throws {RequestTimeoutError} when the server does not answer within `timeoutMs`
   * @example
   * ```ts
   * const dc = await codex.loginChatgptDeviceCode();
   * console.log(`Open ${dc.verificationUrl} and enter ${dc.userCode}`);
   * await dc.wait();
   * ```
   */
  loginChatgptDeviceCode(options: LoginStartOptions = {}): Promise<DeviceCodeLoginHandle> {
    return startDeviceCodeLogin(this.rpc, options);
  }

  /**
   * Reads the account (`account/read`): `account` (`{ type: "apiKey" }`, `{ type: "chatgpt",
   * email, planType }`, … or `null`), `requiresOpenaiAuth`, `userId`.
   *
   * @param options `refreshToken`: refresh ChatGPT tokens first
   * @returns the {@link AccountState}
   * @throws {JsonRpcError} when the server fails to read it
   * @example
   * ```ts
   * const { account } = await codex.account();
   * if (account?.type === "chatgpt") console.log(account.email, account.planType);
   * ```
   */
  account(options: AccountOptions = {}): Promise<AccountState> {
    return readAccount(this.rpc, options);
  }

  /**
   * Logs out (`account/logout`): the server forgets the stored credentials and sends
   * `account/updated` with `authMode: null`. Logging out twice is harmless.
   *
   * @throws {JsonRpcError} when the server fails to log out
   * @example
   * ```ts
   * await codex.logout();
   * ```
   */
  async logout(): Promise<void> {
    await logout(this.rpc);
  }

  private accountCache$: Observable<AccountState> | undefined;

  /**
   * The account as state: the current value on subscribe (one `account/read`), then a fresh
   * value after each `account/updated` (login, logout, token change), repeats suppressed.
   * Shared: concurrent subscribers cause one read and late ones get the latest value replayed;
   * once the last one unsubscribes, the next subscription reads afresh. Completes when the client
   * closes; errors when a read fails.
   *
   * @example
   * ```ts
   * codex.account$.subscribe(({ account }) => console.log(account?.type ?? "logged out"));
   * ```
   */
  get account$(): Observable<AccountState> {
    return (this.accountCache$ ??= accountState$(this.rpc));
  }

  /**
   * Any client method of the pinned protocol, typed: the escape hatch for what the facade does
   * not wrap yet.
   *
   * @param method a client request method
   * @param params its params
   * @param options timeout, validation (`skipParamsValidation` to send fields the pinned protocol does not know)
   * @returns the validated result
   * @throws {InvalidInputError} when the params do not match the pinned protocol (nothing is sent)
   * @throws {JsonRpcError} when the server answers with an error
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
