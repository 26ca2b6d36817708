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
import { invalidMessage, schemaOf, validateParams } from "../protocol/validate.js";
import type { Transport } from "../transport/Transport.js";
import { HotStream } from "./HotStream.js";
import {
  ConnectionLostError,
  ReconnectFailedError,
  CodexError,
  JsonRpcError,
  ProtocolError,
  RequestTimeoutError,
  TransportClosedError,
  type JsonRpcErrorObject,
} from "../errors/index.js";

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
  /** The message as written, for a send after a reconnect. */
  readonly text: string;
  /** False while it waits for the connection to come back (queued, or to be sent again). */
  sent: boolean;
}

/** A request that bypasses the queue of a reconnect: what {@link SessionRestorer} sends with. */
export type DirectRequest = <M extends ClientRequestMethod>(method: M, params: ClientRequestParamsMap[M]) => Promise<ClientRequestResultMap[M]>;

/**
 * Starts the session again on a reconnected transport (`initialize`, `thread/resume`, …) with
 * `request` and `notify`, which bypass the queue; the requests made meanwhile are sent once it
 * resolves. A rejection ends the connection with `ReconnectFailedError`.
 */
export type SessionRestorer = (request: DirectRequest, notify: (method: string, params?: unknown) => void) => Promise<void>;

/**
 * Read-only requests: sent again after a reconnect when they were in flight at the drop. Anything
 * else in flight fails with `ConnectionLostError` (the server may or may not have acted on it).
 */
const RESENDABLE: ReadonlySet<string> = new Set([
  "thread/read",
  "thread/list",
  "thread/loaded/list",
  "model/list",
  "account/read",
  "account/rateLimits/read",
  "config/read",
  "skills/list",
  "thread/goal/get",
]);

/** An answer to a server request of an earlier connection, kept for the server's replay of that request. */
interface Carried {
  readonly answer: Promise<ServerRequestEvent["response"]>;
  readonly settle: (response: ServerRequestEvent["response"]) => void;
}

/** A server request whose handler is still running: the connection it arrived on, and its fingerprint. */
interface Handling {
  readonly generation: number;
  readonly fingerprint: string;
  /** Set at a drop: where its answer goes for the replay. */
  carried?: Carried;
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
 * Over a transport that reconnects (it has `connection$`), a drop does not end it: writes in flight
 * fail with `ConnectionLostError`, read-only requests in flight are sent again, new requests wait,
 * and a server request's answer that could not be sent goes to the server's replay of it. On the
 * new connection the {@link SessionRestorer} runs first (see `setSessionRestorer`), then what waited.
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
  /** Counts the drops of a reconnecting transport: a server request of an older generation is answered on its replay. */
  private generation = 0;
  /** The transport lost its connection and has not reported a new one. */
  private linkDown = false;
  /** Requests wait (queued) until the session is restored after a drop. */
  private held = false;
  private restorer: SessionRestorer | undefined;
  private beforeNotification: ((notification: Notification) => boolean) | undefined;
  private readonly handling = new Set<Handling>();
  /** Answers to server requests of an earlier connection, by fingerprint (method + params), for the replay. */
  private readonly carried = new Map<string, Carried>();

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
    transport.connection$?.subscribe((c) => {
      if (c.state === "reconnecting") this.dropped();
      else if (c.state === "open" && c.attempt !== undefined) void this.reopened();
    });
  }

  /**
   * What to do on a reconnected transport before the requests made meanwhile go out: `Codex`
   * sets it to `initialize` and resume its threads. Without one, the queue is sent as is.
   *
   * @param restorer starts the session again with the direct `request` and `notify` it is given
   */
  setSessionRestorer(restorer: SessionRestorer): void {
    this.restorer = restorer;
  }

  /**
   * Sees every notification before anyone else does; a `Codex` uses it to put what a reconnect
   * missed (`emitLocal`) in front of the notification that revealed it.
   *
   * @param tap called with each notification before it is delivered on `notifications$`; returns
   *   false to hold it back (the tap then delivers it itself, later, with `emitLocal`)
   */
  setNotificationTap(tap: (notification: Notification) => boolean): void {
    this.beforeNotification = tap;
  }

  /**
   * Delivers a notification made by the client itself (a `codex-rx/…` method) on
   * `notifications$`, in order with the server's. For the facade's reconnect markers.
   *
   * @param notification the notification
   */
  emitLocal(notification: Notification): void {
    if (this.state !== "closed") this.deliver(notification);
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
    return this.send$(method, params, options, false);
  }

  private send$<M extends ClientRequestMethod>(
    method: M,
    params: ClientRequestParamsMap[M],
    options: RequestOptions,
    direct: boolean,
  ): Observable<ClientRequestResultMap[M]> {
    const schema = options.skipValidation ? undefined : schemaOf(clientRequestResultSchemas, method);
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
      const entry: Pending = {
        method,
        schema,
        resolve: (value) => {
          subscriber.next(value as ClientRequestResultMap[M]);
          subscriber.complete();
        },
        reject: (error) => subscriber.error(error),
        text: JSON.stringify(params === undefined ? { id, method } : { id, method, params }),
        sent: false,
      };
      this.pending.set(key, entry);
      // During a reconnect the request waits for the restored session (see reopened()).
      if (!this.held || direct) {
        try {
          this.transport.send(entry.text);
          entry.sent = true;
        } catch (error) {
          this.pending.delete(key);
          subscriber.error(error instanceof CodexError ? error : toClosedError(error, this.transport));
        }
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
    const schema = schemaOf(serverNotificationSchemas, method);
    if (schema === undefined) {
      this.deliver({ method, params });
      return;
    }
    const parsed = schema.safeParse(params);
    if (!parsed.success) {
      this.protocolError(invalidMessage(`invalid params for notification ${method}`, method, parsed.error, text));
      return;
    }
    this.deliver({ method, params: parsed.data } as Notification);
  }

  private deliver(notification: Notification): void {
    if (this.beforeNotification?.(notification) === false) return;
    this.notificationsSubject.next(notification);
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

  /** The connection dropped (a reconnecting transport): hold new requests, sort out the ones in flight. */
  private dropped(): void {
    if (this.linkDown || this.state === "closed") return;
    this.linkDown = true;
    this.held = true;
    this.generation += 1;
    for (const [key, p] of this.pending) {
      if (!p.sent) continue;
      if (RESENDABLE.has(p.method)) p.sent = false;
      else {
        this.pending.delete(key);
        p.reject(new ConnectionLostError(p.method));
      }
    }
    // Handlers still deciding: the server asks again after the resume, and gets their answer then.
    for (const h of this.handling) {
      if (h.carried !== undefined) continue;
      h.carried = this.carried.get(h.fingerprint) ?? carriedAnswer();
      this.carried.set(h.fingerprint, h.carried);
    }
  }

  /** The transport is connected again: restore the session, then send what waited. */
  private async reopened(): Promise<void> {
    if (this.state === "closed") return;
    this.linkDown = false;
    const generation = this.generation;
    try {
      await this.restorer?.(
        (method, params) => firstValueFrom(this.send$(method, params, {}, true)),
        (method, params) => this.notify(method, params),
      );
    } catch (error) {
      // Dropped again meanwhile: the next reconnect restores afresh.
      if (this.generation !== generation || this.closed) return;
      const failure = new ReconnectFailedError(1, { cause: error });
      this.shutdown(failure, failure);
      void this.transport.close();
      return;
    }
    if (this.generation !== generation || this.closed) return;
    this.held = false;
    for (const p of this.pending.values()) {
      if (p.sent) continue;
      try {
        this.transport.send(p.text);
        p.sent = true;
      } catch {
        // Dropped again: it goes out after the next reconnect.
        return;
      }
    }
  }

  private receiveRequest(id: RequestId, method: string, params: unknown, text: string): void {
    const schema = schemaOf(serverRequestSchemas, method);
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
    const generation = this.generation;
    const fingerprint = this.generation === 0 && this.carried.size === 0 ? "" : fingerprintOf(method, params);
    const carried = fingerprint === "" ? undefined : this.carried.get(fingerprint);
    if (carried !== undefined) {
      // The server asks again what it asked the previous connection: answer as decided then.
      this.carried.delete(fingerprint);
      void carried.answer.then((response) => this.answer(request, response, generation));
      return;
    }
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
    const handling: Handling = { generation, fingerprint: fingerprint === "" ? fingerprintOf(method, params) : fingerprint };
    this.handling.add(handling);
    firstValueFrom(result$).then(
      (result) => this.answer(request, { result }, generation, handling),
      (error: unknown) => this.answer(request, { error: { code: -32603, message: `client handler for ${method} failed: ${errorMessage(error)}` } }, generation, handling),
    );
  }

  private answer(request: ServerRequest, response: ServerRequestEvent["response"], generation = this.generation, handling?: Handling): void {
    if (handling !== undefined) this.handling.delete(handling);
    if (this.state === "closed") return;
    if (generation !== this.generation || this.linkDown) {
      // Its connection is gone: keep the answer for the server's replay of the request.
      const fingerprint = handling?.fingerprint ?? fingerprintOf(request.method, request.params);
      const carried = handling?.carried ?? this.carried.get(fingerprint) ?? carriedAnswer();
      carried.settle(response);
      // Unless the replay already took it (then it is waiting on `carried`), keep it for the replay.
      if (handling?.carried === undefined) this.carried.set(fingerprint, carried);
      // Bounded: a replay that never comes (the server resolved the request otherwise) is forgotten.
      if (this.carried.size > 256) this.carried.delete(this.carried.keys().next().value as string);
      return;
    }
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
    this.carried.clear();
    this.handling.clear();
  }
}

/** Identifies a server request across connections: the server replays it with the same method and params. */
function fingerprintOf(method: string, params: unknown): string {
  return `${method} ${JSON.stringify(params)}`;
}

function carriedAnswer(): Carried {
  let settle: (response: ServerRequestEvent["response"]) => void = () => undefined;
  const answer = new Promise<ServerRequestEvent["response"]>((resolve) => {
    settle = resolve;
  });
  return { answer, settle };
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
  return new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: transport.stderrTail?.() ?? "" });
}

function toClosedError(error: unknown, transport: Transport): TransportClosedError {
  if (error instanceof TransportClosedError) return error;
  return new TransportClosedError({ reason: errorMessage(error), exitCode: null, signal: null, stderrTail: transport.stderrTail?.() ?? "" }, { cause: error });
}
