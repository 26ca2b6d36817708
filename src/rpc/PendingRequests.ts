import { Observable, asyncScheduler, throwError, timeout } from "rxjs";
import type { z } from "zod";
import { stableProtocol } from "../protocol/stableProtocol.js";
import type { ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap } from "../protocol/generated/index.js";
import { invalidMessage, schemaOf, validateParams, wireIssues } from "../protocol/validate.js";
import type { Transport } from "../transport/Transport.js";
import { CodexError, ConnectionLostError, JsonRpcError, ProtocolError, RequestTimeoutError, type JsonRpcErrorObject, type TransportClosedError } from "../errors/index.js";
import type { RequestId, RequestOptions, RpcConnectionOptions } from "./rpcTypes.js";
import { toClosedError } from "./wireErrors.js";

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

/** What the table asks of its connection. */
export interface RequestGate {
  /** The error a new request fails with at once; undefined while the wire is open. */
  closedError(): TransportClosedError | undefined;
  /** True while requests wait for the session to be restored after a drop. */
  queueing(): boolean;
  /** Publishes a malformed or unexpected response on `protocolErrors$`. */
  report(error: ProtocolError): void;
}

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

/**
 * @internal The outgoing half of an {@link RpcConnection}: assigns ids, keeps one entry per request
 * in flight (with its timeout), settles it with the server's response, sorts the entries out at a
 * drop (reads kept to be sent again, writes failed) and fails them all when the wire ends.
 */
export class PendingRequests {
  private readonly entries = new Map<string, Pending>();
  /** Ids of requests the caller gave up on (unsubscribed, timed out): their late answers are dropped quietly. */
  private readonly abandoned = new Set<string>();
  private nextId = 1;

  constructor(
    private readonly transport: Transport,
    private readonly gate: RequestGate,
    private readonly options: RpcConnectionOptions,
  ) {}

  /** How many requests wait for an answer. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * A cold request: each subscription checks the params, writes once (or queues while the gate is queueing, unless
   * `direct`), and unsubscribing before the answer forgets the entry.
   *
   * @param method the client request method
   * @param params its params
   * @param options timeout, validation
   * @param direct true to write even while requests are queued (the session restorer's own)
   * @returns the validated result: one value, then complete
   */
  request$<M extends ClientRequestMethod>(method: M, params: ClientRequestParamsMap[M], options: RequestOptions, direct: boolean): Observable<ClientRequestResultMap[M]> {
    const protocol = this.options.protocol ?? stableProtocol;
    const schema = options.skipValidation ? undefined : schemaOf(protocol.results, method);
    const raw$ = new Observable<ClientRequestResultMap[M]>((subscriber) => {
      // Checked before anything is written: the server never sees params the protocol rejects.
      const invalidParams = options.skipParamsValidation ? undefined : validateParams(method, params, protocol);
      if (invalidParams !== undefined) {
        subscriber.error(invalidParams);
        return;
      }
      const closed = this.gate.closedError();
      if (closed !== undefined) {
        subscriber.error(closed);
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
      this.entries.set(key, entry);
      // During a reconnect the request waits for the restored session (see resend()).
      if (!this.gate.queueing() || direct) {
        try {
          this.transport.send(entry.text);
          entry.sent = true;
        } catch (error) {
          this.entries.delete(key);
          subscriber.error(error instanceof CodexError ? error : toClosedError(error, this.transport));
        }
      }
      return () => {
        // Still pending at teardown: the caller gave up; the server will answer anyway.
        if (this.entries.delete(key)) this.abandoned.add(key);
      };
    });
    const ms = options.timeoutMs ?? this.options.requestTimeoutMs;
    // Infinity opts a call out of the connection's default (a command's answer comes at its exit).
    if (ms === undefined || ms === Number.POSITIVE_INFINITY) return raw$;
    return raw$.pipe(
      timeout({
        first: ms,
        with: () => throwError(() => new RequestTimeoutError(method, ms)),
        scheduler: this.options.scheduler ?? asyncScheduler,
      }),
    );
  }

  /**
   * Settles the request a response answers; a response that is a protocol error is reported
   * (then the request fails with it).
   *
   * @param id the response's id
   * @param m the response
   * @param text the line it came in
   */
  settle(id: RequestId, m: Record<string, unknown>, text: string): void {
    const key = String(id);
    const pending = this.entries.get(key);
    if (pending === undefined) {
      if (!this.abandoned.delete(key)) this.gate.report(new ProtocolError(`response for unknown request id ${JSON.stringify(id)}`, { raw: text }));
      return;
    }
    // Removed before settling, so a re-entrant request from a callback cannot see it.
    this.entries.delete(key);
    if ("error" in m) {
      const error = m["error"];
      if (isErrorObject(error)) pending.reject(JsonRpcError.from(error, { method: pending.method }));
      else this.fail(pending, new ProtocolError(`malformed error response to ${pending.method}`, { method: pending.method, raw: text }));
      return;
    }
    if (pending.schema === undefined) {
      pending.resolve(m["result"]);
      return;
    }
    const result = m["result"];
    const issues = wireIssues(pending.schema, result);
    if (issues === undefined) pending.resolve(result);
    else this.fail(pending, invalidMessage(`invalid result for ${pending.method}`, pending.method, issues, text));
  }

  /** The connection dropped: reads in flight wait to be sent again, writes in flight fail with `ConnectionLostError`. */
  dropped(): void {
    for (const [key, p] of this.entries) {
      if (!p.sent) continue;
      if (RESENDABLE.has(p.method)) p.sent = false;
      else {
        this.entries.delete(key);
        p.reject(new ConnectionLostError(p.method));
      }
    }
  }

  /** The session is restored: writes what waited, in order; stops at a new drop (it goes out after the next reconnect). */
  resend(): void {
    for (const p of this.entries.values()) {
      if (p.sent) continue;
      try {
        this.transport.send(p.text);
        p.sent = true;
      } catch {
        return;
      }
    }
  }

  /**
   * The wire ended: every request in flight or waiting fails.
   *
   * @param failure what they fail with
   */
  failAll(failure: TransportClosedError): void {
    const pending = [...this.entries.values()];
    this.entries.clear();
    for (const p of pending) p.reject(failure);
  }

  private fail(pending: Pending, protocol: ProtocolError): void {
    this.gate.report(protocol);
    pending.reject(protocol);
  }
}

function isErrorObject(error: unknown): error is JsonRpcErrorObject {
  if (error === null || typeof error !== "object") return false;
  const e = error as Record<string, unknown>;
  return typeof e["code"] === "number" && typeof e["message"] === "string";
}
