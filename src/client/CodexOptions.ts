import type { SchedulerLike } from "rxjs";
import type { ProtocolSurface, RequestParamsOf } from "../protocol/ClientProtocol.js";
import type { ServerRequestHandler } from "../rpc/RpcConnection.js";
import type { Transport } from "../transport/Transport.js";
import type { ApprovalHandler } from "./approvals.js";
import type { ApprovalMode } from "./presets.js";

/** Who we are, as sent in `initialize`. */
export interface ClientInfo {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
}

/** The options of `Codex.start` that apply whatever the transport. Every field is optional. */
export interface CommonCodexOptions {
  /** Sent in `initialize`. Default `{ name: "codex_rx", title: "codex-rx", version }`. */
  readonly clientInfo?: ClientInfo;
  /**
   * Opt into the protocol's experimental surface (`initialize` capabilities.experimentalApi): the
   * literal `true` makes `Codex.start` return a `Codex<"experimental">`, whose `request` and thread
   * options take the experimental methods and fields (typed, validated; their schemas load then).
   * Without it they are refused with `ExperimentalApiRequiredError`, nothing sent.
   */
  readonly experimentalApi?: boolean;
  /**
   * Typed answers to the server → client requests, one callback per method: the approvals and
   * every other server request of the pinned protocol (user input, MCP elicitations, dynamic tool
   * calls, token refresh, attestation; the list is on {@link ApprovalHandler}). A method without a
   * callback falls through to `handleServerRequest`, and without that is answered -32601: the
   * server never waits on us. No default: without a callback nothing is approved.
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

/** `Codex.start` spawning `codex app-server` over stdio (the default: no `transport`). */
export interface StdioCodexOptions extends CommonCodexOptions {
  /** The binary; default: the one shipped by the pinned `@openai/codex` (env `CODEX_BIN` overrides too). */
  readonly codexPath?: string;
  /** Merged over `process.env` for the child (`CODEX_HOME`, `OPENAI_API_KEY`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory of the child process. */
  readonly cwd?: string;
  /** Nested config, passed as `--config key=value` (TOML values), e.g. `{ model: "gpt-5.4" }`. */
  readonly config?: Readonly<Record<string, unknown>>;
  /** None: the binary is spawned. */
  readonly transport?: undefined;
}

/**
 * `Codex.start` over a transport you give (`webSocketTransport(url)`, `unixSocketTransport(path)`,
 * `fakeAppServer().transport`, …). The server is not ours to spawn, so the stdio fields are
 * refused by the type: set them where that server starts.
 */
export interface TransportCodexOptions extends CommonCodexOptions {
  /** The transport to connect. */
  readonly transport: Transport;
  /** Stdio only. */
  readonly codexPath?: never;
  /** Stdio only: the server's environment is set where it starts. */
  readonly env?: never;
  /** Stdio only. */
  readonly cwd?: never;
  /** Stdio only: pass `--config` where the server starts. */
  readonly config?: never;
}

/**
 * How to start (or reach) the app-server: spawn it over stdio ({@link StdioCodexOptions}, the
 * default) or connect a transport ({@link TransportCodexOptions}); the fields of
 * {@link CommonCodexOptions} apply to both. Every field is optional.
 */
export type CodexOptions = StdioCodexOptions | TransportCodexOptions;

/** An approval preset, accepted by every thread-opening method. */
export interface ApprovalModeOption {
  /**
   * An approval preset (see {@link ApprovalMode}); wins over `approvalPolicy` /
   * `approvalsReviewer`. `dangerouslyBypassApprovalsAndSandbox` also opens the sandbox; together
   * with an explicit restricted `sandbox` it is refused (`PresetConflictError`), never weakened.
   */
  readonly approvalMode?: ApprovalMode;
}
/**
 * Options of `threadStart`: the wire's `thread/start` params (camelCase, as on the wire) and a
 * preset. `ThreadStartOptions<"experimental">` (what a `Codex<"experimental">` takes) adds the
 * experimental fields (`dynamicTools`, …).
 */
export type ThreadStartOptions<S extends ProtocolSurface = "stable"> = RequestParamsOf<S, "thread/start"> & ApprovalModeOption;
/** Options of `threadResume`: the wire's `thread/resume` params besides the id, and a preset (experimental fields with `<"experimental">`). */
export type ThreadResumeOptions<S extends ProtocolSurface = "stable"> = Omit<RequestParamsOf<S, "thread/resume">, "threadId"> & ApprovalModeOption;
/** Options of `threadFork`: the wire's `thread/fork` params besides the id, and a preset (experimental fields with `<"experimental">`). */
export type ThreadForkOptions<S extends ProtocolSurface = "stable"> = Omit<RequestParamsOf<S, "thread/fork">, "threadId"> & ApprovalModeOption;
