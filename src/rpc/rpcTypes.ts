// The public shapes of the JSON-RPC layer, shared by RpcConnection and its parts.
import type { Observable, SchedulerLike } from "rxjs";
import type { ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap, ServerRequestMethod, ServerRequestParamsMap, ServerRequestResultMap } from "../protocol/generated/index.js";
import type { JsonRpcErrorObject } from "../errors/index.js";
import type { ClientProtocol } from "../protocol/ClientProtocol.js";

/** A JSON-RPC id: the app-server accepts strings and integers. */
export type RequestId = string | number;

/** A server → client request whose method the pinned protocol knows, with typed params. */
export type KnownServerRequest = {
  [M in ServerRequestMethod]: { readonly id: RequestId; readonly method: M; readonly params: ServerRequestParamsMap[M] };
}[ServerRequestMethod];

/** A server → client request of a method this version does not know; it is answered -32601. */
export interface UnknownServerRequest {
  readonly id: RequestId;
  readonly method: string;
  readonly params: unknown;
}

/** Any server → client request. */
export type ServerRequest = KnownServerRequest | UnknownServerRequest;

/** What a handler can return: the value, a Promise of it, or an Observable whose first value is used. */
export type HandlerResult<T> = T | PromiseLike<T> | Observable<T>;

/**
 * Answers server → client requests. Return `undefined` (or don't define it) to decline a method:
 * the server then gets -32601. A handler that throws (or rejects, or errors) sends -32603.
 */
export type ServerRequestHandler = (request: ServerRequest) => HandlerResult<unknown> | undefined;

/** A server request together with the answer that was sent for it. */
export interface ServerRequestEvent {
  readonly request: ServerRequest;
  readonly response: { readonly result: unknown } | { readonly error: JsonRpcErrorObject };
}

/** Options of {@link RpcConnection}. */
export interface RpcConnectionOptions {
  /** Answers server requests; default: none, so every request gets -32601. */
  readonly handleServerRequest?: ServerRequestHandler;
  /** Default timeout of every request; none by default (turns can take minutes). */
  readonly requestTimeoutMs?: number;
  /** Where timeouts run; a `TestScheduler` in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /**
   * The surface requests are checked against (see `loadClientProtocol`). Default the stable one,
   * which refuses experimental methods and fields before sending them. The experimental one
   * needs `initialize` with `capabilities.experimentalApi: true` on the server side too.
   */
  readonly protocol?: ClientProtocol;
}

/** Per-call options of `codex.request(method, params, options)` (and of `RpcConnection.request`). */
export interface RequestOptions {
  /** Overrides `RpcConnectionOptions.requestTimeoutMs` for this call; `Infinity` for none. */
  readonly timeoutMs?: number;
  /** Skip result validation (e.g. `initialize` of a server that may be older). Default false. */
  readonly skipValidation?: boolean;
  /**
   * Send params the pinned protocol does not know (e.g. a field of a newer server) without
   * checking them first. Default false: invalid params fail with `InvalidInputError` and nothing is sent.
   */
  readonly skipParamsValidation?: boolean;
}

/** A request that bypasses the queue of a reconnect: what {@link SessionRestorer} sends with. */
export type DirectRequest = <M extends ClientRequestMethod>(method: M, params: ClientRequestParamsMap[M]) => Promise<ClientRequestResultMap[M]>;

/**
 * Starts the session again on a reconnected transport (`initialize`, `thread/resume`, …) with
 * `request` and `notify`, which bypass the queue; the requests made meanwhile are sent once it
 * resolves. A rejection ends the connection with `ReconnectFailedError`.
 */
export type SessionRestorer = (request: DirectRequest, notify: (method: string, params?: unknown) => void) => Promise<void>;

/** The typed params of server request method `M`, and the result type its handler must produce. */
export type ServerRequestOf<M extends ServerRequestMethod> = Extract<KnownServerRequest, { readonly method: M }>;
export type { ServerRequestResultMap };
