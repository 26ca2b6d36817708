import { Observable, Subject, firstValueFrom } from "rxjs";
import type { ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap } from "../protocol/generated/index.js";
import type { ClientProtocol } from "../protocol/ClientProtocol.js";
import { stableProtocol } from "../protocol/stableProtocol.js";
import type { Notification } from "../protocol/notifications.js";
import type { Transport } from "../transport/Transport.js";
import { CodexError, ReconnectFailedError, type ProtocolError, type TransportClosedError } from "../errors/index.js";
import { HotStream } from "../streams/HotStream.js";
import { dispatchIncoming, type IncomingSink } from "./incoming.js";
import { PendingRequests } from "./PendingRequests.js";
import type { RequestOptions, RpcConnectionOptions, ServerRequestEvent, SessionRestorer } from "./rpcTypes.js";
import { ServerRequests } from "./ServerRequests.js";
import { closedByClient, toClosedError } from "./wireErrors.js";

export type {
  DirectRequest,
  HandlerResult,
  KnownServerRequest,
  RequestId,
  RequestOptions,
  RpcConnectionOptions,
  ServerRequest,
  ServerRequestEvent,
  ServerRequestHandler,
  ServerRequestOf,
  ServerRequestResultMap,
  SessionRestorer,
  UnknownServerRequest,
} from "./rpcTypes.js";

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
  /** The requests in flight (or waiting for a reconnect), by id. */
  private readonly pending: PendingRequests;
  /** The server → client requests being answered, and the answers kept for a replay. */
  private readonly serverRequests: ServerRequests;
  private readonly incoming: IncomingSink;
  /** Set once, when the wire ends: what pending and later work fails with. */
  private closeError: TransportClosedError | undefined;
  /** Counts the drops of a reconnecting transport: a server request of an older generation is answered on its replay. */
  private generation = 0;
  /** The transport lost its connection and has not reported a new one. */
  private linkDown = false;
  /** Requests wait (queued) until the session is restored after a drop. */
  private queueing = false;
  private restorer: SessionRestorer | undefined;

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
    const report = (error: ProtocolError): void => this.protocolErrorsSubject.next(error);
    this.pending = new PendingRequests(transport, { closedError: () => this.closeError, queueing: () => this.queueing, report }, options);
    this.serverRequests = new ServerRequests(
      {
        generation: () => this.generation,
        down: () => this.linkDown,
        closed: () => this.closeError !== undefined,
        send: (text) => transport.send(text),
        answered: (event) => this.serverRequestsSubject.next(event),
        report,
      },
      options.handleServerRequest,
    );
    this.incoming = {
      notification: (n) => this.notificationsSubject.next(n),
      request: (id, method, params, text) => this.serverRequests.receive(id, method, params, text),
      response: (id, m, text) => this.pending.settle(id, m, text),
      protocolError: report,
    };
    transport.messages$.subscribe({
      next: (text) => dispatchIncoming(text, this.incoming),
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
   * Delivers a notification made by the client itself (a `codex-rx/…` method) on
   * `notifications$`, in order with the server's. For the facade's reconnect markers.
   *
   * @param notification the notification
   */
  injectNotification(notification: Notification): void {
    if (this.closeError === undefined) this.notificationsSubject.next(notification);
  }

  /** What the wire ended with (`closed by client` after `close()`); `undefined` while it is open. */
  get closeReason(): TransportClosedError | undefined {
    return this.closeError;
  }

  /** The surface requests are checked against (`RpcConnectionOptions.protocol`; the stable one by default). */
  get protocol(): ClientProtocol {
    return this.options.protocol ?? stableProtocol;
  }

  /** True once the wire has closed; every request then fails fast. */
  get closed(): boolean {
    return this.closeError !== undefined;
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
    return this.pending.request$(method, params, options, false);
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

  /** The connection dropped (a reconnecting transport): hold new requests, sort out the ones in flight. */
  private dropped(): void {
    if (this.linkDown || this.closeError !== undefined) return;
    this.linkDown = true;
    this.queueing = true;
    this.generation += 1;
    this.pending.dropped();
    this.serverRequests.dropped();
  }

  /** The transport is connected again: restore the session, then send what waited. */
  private async reopened(): Promise<void> {
    if (this.closeError !== undefined) return;
    this.linkDown = false;
    const generation = this.generation;
    try {
      await this.restorer?.(
        (method, params) => firstValueFrom(this.pending.request$(method, params, {}, true)),
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
    this.queueing = false;
    this.pending.resend();
  }

  /** Runs once when the wire ends: fails pending work, then ends every stream. */
  private shutdown(error: TransportClosedError | undefined, raw: unknown): void {
    if (this.closeError !== undefined) return;
    const failure = error ?? closedByClient(this.transport);
    this.closeError = failure;
    this.pending.failAll(failure);
    if (error === undefined) this.notificationsSubject.complete();
    else this.notificationsSubject.error(raw instanceof CodexError ? raw : error);
    this.serverRequestsSubject.complete();
    this.protocolErrorsSubject.complete();
    this.serverRequests.clear();
  }
}
