import { Observable, Subject, asyncScheduler, firstValueFrom, from, isObservable, throwError, timeout, type SchedulerLike } from "rxjs";
import type { z } from "zod";
import {
  clientRequestResultSchemas,
  serverNotificationSchemas,
  serverRequestSchemas,
  type ClientRequestMethod,
  type ClientRequestParamsMap,
  type ClientRequestResultMap,
  type ServerRequestMethod,
  type ServerRequestParamsMap,
  type ServerRequestResultMap,
} from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import { invalidMessage, validateParams } from "../protocol/validate.js";
import type { Transport } from "../transport/Transport.js";
import { HotStream } from "./HotStream.js";
import { CodexError, JsonRpcError, ProtocolError, RequestTimeoutError, TransportClosedError, type JsonRpcErrorObject } from "./errors.js";

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
}

/** Per-call options of {@link RpcConnection.request}. */
export interface RequestOptions {
  /** Overrides `RpcConnectionOptions.requestTimeoutMs` for this call. */
  readonly timeoutMs?: number;
  /** Skip result validation (e.g. `initialize` of a server that may be older). Default false. */
  readonly skipValidation?: boolean;
  /**
   * Send params the pinned protocol does not know (e.g. a field of a newer server) without
   * checking them first. Default false: invalid params fail with `InvalidInputError` and nothing is sent.
   */
  readonly skipParamsValidation?: boolean;
}

interface Pending {
  readonly method: string;
  readonly schema: z.ZodType | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type ConnectionState = "open" | "closed";

/**
 * JSON-RPC 2.0 over a {@link Transport}: classifies each incoming message (response, notification,
 * server request), validates it with the pinned protocol's zod schemas, correlates responses to
 * requests by id, answers every server request, and fails every pending request with a typed
 * error when the wire closes.
 *
 * The wire is subscribed exactly once, in the constructor, before anything is sent.
 *
 * @example
 * ```ts
 * const rpc = new RpcConnection(new StdioTransport());
 * await rpc.transport.connect();
 * const init = await rpc.request("initialize", { clientInfo: { name: "me", version: "1" } });
 * ```
 */
export class RpcConnection {
  private readonly notificationsSubject = new HotStream<Notification>();
  private readonly serverRequestsSubject = new Subject<ServerRequestEvent>();
  private readonly protocolErrorsSubject = new Subject<ProtocolError>();
  private readonly pending = new Map<string, Pending>();
  /** Ids of requests the caller gave up on (unsubscribed, timed out): their late answers are dropped quietly. */
  private readonly abandoned = new Set<string>();
  private nextId = 1;
  private state: ConnectionState = "open";
  private closeError: TransportClosedError | undefined;

  /** Every validated notification, in wire order. Hot. Completes on `close()`, errors when the wire dies. */
  readonly notifications$: Observable<Notification> = this.notificationsSubject.observable;
  /** Every server → client request with the answer sent for it. Hot. */
  readonly serverRequests$: Observable<ServerRequestEvent> = this.serverRequestsSubject.asObservable();
  /** One {@link ProtocolError} per malformed message. Hot; the other streams go on. */
  readonly protocolErrors$: Observable<ProtocolError> = this.protocolErrorsSubject.asObservable();

  constructor(
    readonly transport: Transport,
    private readonly options: RpcConnectionOptions = {},
  ) {
    transport.messages$.subscribe({
      next: (text) => this.receive(text),
      error: (error: unknown) => this.shutdown(toClosedError(error, transport), error),
      complete: () => this.shutdown(undefined, undefined),
    });
  }

  /** True once the wire has closed; every request then fails fast. */
  get closed(): boolean {
    return this.state === "closed";
  }

  /**
   * Sends a request; the Observable is cold: each subscription sends once, and unsubscribing before
   * the answer (or a timeout) removes the pending entry; the server's late answer is then dropped
   * quietly. (The app-server has no request cancellation: the work still happens there.)
   *
   * @param method a client request method of the pinned protocol
   * @param params its params
   * @param options timeout, validation
   * @returns an Observable of the validated result: one value, then complete
   * @throws {InvalidInputError} when the params do not match the pinned protocol (nothing is sent)
   * @throws {JsonRpcError} (subclass by code) when the server answers with an error
   * @throws {TransportClosedError} when the wire is or becomes closed
   * @throws {ProtocolError} when the result does not match the schema
   * @throws {RequestTimeoutError} when a timeout is set and passes
   */
  request$<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParamsMap[M],
    options: RequestOptions = {},
  ): Observable<ClientRequestResultMap[M]> {
    const schemas: Readonly<Record<string, z.ZodType>> = clientRequestResultSchemas;
    const schema = options.skipValidation ? undefined : schemas[method];
    const raw$ = new Observable<ClientRequestResultMap[M]>((subscriber) => {
      // Checked before anything is written: the server never sees params the protocol rejects.
      const invalidParams = options.skipParamsValidation ? undefined : validateParams(method, params);
      if (invalidParams !== undefined) {
        subscriber.error(invalidParams);
        return;
      }
      if (this.closeError !== undefined || this.state === "closed") {
        subscriber.error(this.closeError ?? closedByClient(this.transport));
        return;
      }
      const id = this.nextId++;
      const key = String(id);
      this.pending.set(key, {
        method,
        schema,
        resolve: (value) => {
          subscriber.next(value as ClientRequestResultMap[M]);
          subscriber.complete();
        },
        reject: (error) => subscriber.error(error),
      });
      try {
        this.transport.send(JSON.stringify(params === undefined ? { id, method } : { id, method, params }));
      } catch (error) {
        this.pending.delete(key);
        subscriber.error(error instanceof CodexError ? error : toClosedError(error, this.transport));
      }
      return () => {
        // Still pending at teardown: the caller gave up; the server will answer anyway.
        if (this.pending.delete(key)) this.abandoned.add(key);
      };
    });
    const ms = options.timeoutMs ?? this.options.requestTimeoutMs;
    if (ms === undefined) return raw$;
    return raw$.pipe(
      timeout({
        first: ms,
        with: () => throwError(() => new RequestTimeoutError(method, ms)),
        scheduler: this.options.scheduler ?? asyncScheduler,
      }),
    );
  }

  /**
   * {@link request$} as a Promise: sends now, resolves with the validated result.
   *
   * @example
   * ```ts
   * const { thread } = await rpc.request("thread/start", { cwd: process.cwd() });
   * ```
   */
  request<M extends ClientRequestMethod>(method: M, params: ClientRequestParamsMap[M], options?: RequestOptions): Promise<ClientRequestResultMap[M]> {
    return firstValueFrom(this.request$(method, params, options));
  }

  /**
   * Sends a notification (no answer), e.g. `initialized`.
   *
   * @throws {TransportClosedError} when the wire is closed
   */
  notify(method: string, params?: unknown): void {
    this.transport.send(JSON.stringify(params === undefined ? { method } : { method, params }));
  }

  /** Closes the transport; pending requests fail with {@link TransportClosedError}. Idempotent. */
  async close(): Promise<void> {
    await this.transport.close();
    // A transport that never connected completes synchronously; make sure we are closed either way.
    this.shutdown(undefined, undefined);
  }

  private receive(text: string): void {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.protocolError(new ProtocolError(`malformed message: not JSON (${(error as Error).message})`, { raw: text }, { cause: error }));
      return;
    }
    if (message === null || typeof message !== "object" || Array.isArray(message)) {
      this.protocolError(new ProtocolError("malformed message: not a JSON object", { raw: text }));
      return;
    }
    const m = message as Record<string, unknown>;
    const method = m["method"];
    const id = m["id"];
    if (typeof method === "string") {
      if (id === undefined) this.receiveNotification(method, m["params"], text);
      else if (isRequestId(id)) this.receiveRequest(id, method, m["params"], text);
      else this.protocolError(new ProtocolError("malformed request: id must be a string or an integer", { method, raw: text }));
      return;
    }
    if (method !== undefined) {
      this.protocolError(new ProtocolError("malformed message: method must be a string", { raw: text }));
      return;
    }
    if (isRequestId(id) && ("result" in m || "error" in m)) {
      this.receiveResponse(id, m, text);
      return;
    }
    if (id === null && "error" in m) {
      // A reply the server could not tie to a request (e.g. we sent something unparseable).
      this.protocolError(new ProtocolError(`error response without id: ${JSON.stringify(m["error"])}`, { raw: text }));
      return;
    }
    this.protocolError(new ProtocolError("malformed message: neither request, notification nor response", { raw: text }));
  }

  private receiveNotification(method: string, params: unknown, text: string): void {
    const schemas: Readonly<Record<string, z.ZodType>> = serverNotificationSchemas;
    const schema = Object.prototype.hasOwnProperty.call(schemas, method) ? schemas[method] : undefined;
    if (schema === undefined) {
      this.notificationsSubject.next({ method, params });
      return;
    }
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      this.protocolError(invalidMessage(`invalid params for notification ${method}`, method, parsed.error, text));
      return;
    }
    this.notificationsSubject.next({ method, params: parsed.data } as Notification);
  }

  private receiveResponse(id: RequestId, m: Record<string, unknown>, text: string): void {
    const key = String(id);
    const pending = this.pending.get(key);
    if (pending === undefined) {
      if (!this.abandoned.delete(key)) this.protocolError(new ProtocolError(`response for unknown request id ${JSON.stringify(id)}`, { raw: text }));
      return;
    }
    // Removed before settling, so a re-entrant request from a callback cannot see it.
    this.pending.delete(key);
    if ("error" in m) {
      const error = m["error"];
      if (isErrorObject(error)) pending.reject(JsonRpcError.from(error, { method: pending.method }));
      else {
        const protocol = new ProtocolError(`malformed error response to ${pending.method}`, { method: pending.method, raw: text });
        this.protocolError(protocol);
        pending.reject(protocol);
      }
      return;
    }
    if (pending.schema === undefined) {
      pending.resolve(m["result"]);
      return;
    }
    const parsed = pending.schema.safeParse(m["result"]);
    if (parsed.success) pending.resolve(parsed.data);
    else {
      const protocol = invalidMessage(`invalid result for ${pending.method}`, pending.method, parsed.error, text);
      this.protocolError(protocol);
      pending.reject(protocol);
    }
  }

  private receiveRequest(id: RequestId, method: string, params: unknown, text: string): void {
    const schemas: Readonly<Record<string, z.ZodType>> = serverRequestSchemas;
    const schema = Object.prototype.hasOwnProperty.call(schemas, method) ? schemas[method] : undefined;
    if (schema !== undefined) {
      const parsed = schema.safeParse(params);
      if (!parsed.success) {
        const protocol = invalidMessage(`invalid params for server request ${method}`, method, parsed.error, text);
        this.protocolError(protocol);
        this.answer({ id, method, params }, { error: { code: -32602, message: protocol.message } });
        return;
      }
      params = parsed.data;
    }
    const request = { id, method, params } as ServerRequest;
    const handler = this.options.handleServerRequest;
    let outcome: HandlerResult<unknown> | undefined;
    try {
      outcome = handler === undefined ? undefined : handler(request);
    } catch (error) {
      this.answer(request, { error: { code: -32603, message: `client handler for ${method} failed: ${errorMessage(error)}` } });
      return;
    }
    if (outcome === undefined) {
      this.answer(request, { error: { code: -32601, message: `codex-rx has no handler for server request ${method}` } });
      return;
    }
    const result$ = isObservable(outcome) || isPromiseLike(outcome) ? from(outcome) : undefined;
    if (result$ === undefined) {
      this.answer(request, { result: outcome });
      return;
    }
    firstValueFrom(result$).then(
      (result) => this.answer(request, { result }),
      (error: unknown) => this.answer(request, { error: { code: -32603, message: `client handler for ${method} failed: ${errorMessage(error)}` } }),
    );
  }

  private answer(request: ServerRequest, response: ServerRequestEvent["response"]): void {
    if (this.state === "closed") return;
    try {
      this.transport.send(JSON.stringify({ id: request.id, ...response }));
    } catch {
      // The wire closed while the handler ran: nobody is left to answer.
      return;
    }
    this.serverRequestsSubject.next({ request, response });
  }

  private protocolError(error: ProtocolError): void {
    this.protocolErrorsSubject.next(error);
  }

  /** Runs once when the wire ends: fails pending work, then ends every stream. */
  private shutdown(error: TransportClosedError | undefined, raw: unknown): void {
    if (this.state === "closed") return;
    this.state = "closed";
    const failure = error ?? closedByClient(this.transport);
    this.closeError = failure;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(failure);
    if (error === undefined) this.notificationsSubject.complete();
    else this.notificationsSubject.error(raw instanceof CodexError ? raw : error);
    this.serverRequestsSubject.complete();
    this.protocolErrorsSubject.complete();
  }
}

/** The typed params of server request method `M`, and the result type its handler must produce. */
export type ServerRequestOf<M extends ServerRequestMethod> = Extract<KnownServerRequest, { readonly method: M }>;
export type { ServerRequestResultMap };

function isRequestId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isInteger(id));
}

function isErrorObject(error: unknown): error is JsonRpcErrorObject {
  if (error === null || typeof error !== "object") return false;
  const e = error as Record<string, unknown>;
  return typeof e["code"] === "number" && typeof e["message"] === "string";
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function closedByClient(transport: Transport): TransportClosedError {
  return new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: transport.stderrTail() });
}

function toClosedError(error: unknown, transport: Transport): TransportClosedError {
  if (error instanceof TransportClosedError) return error;
  return new TransportClosedError({ reason: errorMessage(error), exitCode: null, signal: null, stderrTail: transport.stderrTail() }, { cause: error });
}
