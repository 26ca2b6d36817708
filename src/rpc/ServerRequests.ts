import { from, firstValueFrom, isObservable } from "rxjs";
import { serverRequestSchemas } from "../protocol/generated/index.js";
import { invalidMessage, schemaOf, wireIssues } from "../protocol/validate.js";
import { messageOf, type ProtocolError } from "../errors/index.js";
import type { HandlerResult, RequestId, ServerRequest, ServerRequestEvent, ServerRequestHandler } from "./rpcTypes.js";

type Response = ServerRequestEvent["response"];

/** An answer to a server request of an earlier connection, kept for the server's replay of that request. */
interface Carried {
  readonly answer: Promise<Response>;
  readonly settle: (response: Response) => void;
}

/**
 * A server request whose handler is still running: the connection it arrived on, and its
 * fingerprint, made only when a drop needs it (most connections never drop).
 */
interface Handling {
  readonly generation: number;
  readonly request: ServerRequest;
  fingerprint?: string;
  /** Set at a drop: where its answer goes for the replay. */
  carried?: Carried;
}

/** What the answering side needs of its connection. */
export interface AnswerLink {
  /** Counts the drops of a reconnecting transport. */
  generation(): number;
  /** True while the transport has lost its connection and not reported a new one. */
  down(): boolean;
  /** True once the wire has ended. */
  closed(): boolean;
  /** Writes a message (throws when the wire is closed). */
  send(text: string): void;
  /** Publishes an answer that was sent, on `serverRequests$`. */
  answered(event: ServerRequestEvent): void;
  /** Publishes a malformed request on `protocolErrors$`. */
  report(error: ProtocolError): void;
}

/**
 * @internal The server → client requests of an {@link RpcConnection}: validates the params, asks
 * the handler (sync, Promise or Observable) and sends its answer, or the JSON-RPC error (-32602
 * invalid params, -32601 no handler, -32603 the handler failed). Across a drop, a request is
 * decided once: an answer its connection can no longer take is kept, by method + params, for the
 * server's replay of the request on the next connection.
 */
export class ServerRequests {
  private readonly handling = new Set<Handling>();
  /** Answers to server requests of an earlier connection, by fingerprint (method + params), for the replay. */
  private readonly carried = new Map<string, Carried>();

  constructor(
    private readonly link: AnswerLink,
    private readonly handler: ServerRequestHandler | undefined,
  ) {}

  /**
   * A server request came in: answer it (now, or when its handler settles).
   *
   * @param id its id
   * @param method its method
   * @param params its params, not validated yet
   * @param text the line it came in
   */
  receive(id: RequestId, method: string, params: unknown, text: string): void {
    const schema = schemaOf(serverRequestSchemas, method);
    if (schema !== undefined) {
      const issues = wireIssues(schema, params);
      if (issues !== undefined) {
        const protocol = invalidMessage(`invalid params for server request ${method}`, method, issues, text);
        this.link.report(protocol);
        this.answer({ id, method, params }, { error: { code: -32602, message: protocol.message } });
        return;
      }
    }
    const request = { id, method, params } as ServerRequest;
    const generation = this.link.generation();
    const fingerprint = generation === 0 && this.carried.size === 0 ? "" : fingerprintOf(method, params);
    const carried = fingerprint === "" ? undefined : this.carried.get(fingerprint);
    if (carried !== undefined) {
      // The server asks again what it asked the previous connection: answer as decided then.
      this.carried.delete(fingerprint);
      void carried.answer.then((response) => this.answer(request, response, generation));
      return;
    }
    let outcome: HandlerResult<unknown> | undefined;
    try {
      outcome = this.handler === undefined ? undefined : this.handler(request);
    } catch (error) {
      this.answer(request, failed(method, error));
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
    const handling: Handling = { generation, request };
    this.handling.add(handling);
    firstValueFrom(result$).then(
      (result) => this.answer(request, { result }, generation, handling),
      (error: unknown) => this.answer(request, failed(method, error), generation, handling),
    );
  }

  /** The connection dropped: handlers still deciding answer the server's replay, after the resume. */
  dropped(): void {
    for (const h of this.handling) {
      if (h.carried !== undefined) continue;
      const fingerprint = (h.fingerprint ??= fingerprintOf(h.request.method, h.request.params));
      h.carried = this.carried.get(fingerprint) ?? carriedAnswer();
      this.carried.set(fingerprint, h.carried);
    }
  }

  /** The wire ended: nothing is left to answer. */
  clear(): void {
    this.carried.clear();
    this.handling.clear();
  }

  private answer(request: ServerRequest, response: Response, generation = this.link.generation(), handling?: Handling): void {
    if (handling !== undefined) this.handling.delete(handling);
    if (this.link.closed()) return;
    if (generation !== this.link.generation() || this.link.down()) {
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
      this.link.send(JSON.stringify({ id: request.id, ...response }));
    } catch {
      // The wire closed while the handler ran: nobody is left to answer.
      return;
    }
    this.link.answered({ request, response });
  }
}

function failed(method: string, error: unknown): Response {
  return { error: { code: -32603, message: `client handler for ${method} failed: ${messageOf(error)}` } };
}

/** Identifies a server request across connections: the server replays it with the same method and params. */
function fingerprintOf(method: string, params: unknown): string {
  return `${method} ${JSON.stringify(params)}`;
}

function carriedAnswer(): Carried {
  let settle: (response: Response) => void = () => undefined;
  const answer = new Promise<Response>((resolve) => {
    settle = resolve;
  });
  return { answer, settle };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") && typeof (value as { then?: unknown }).then === "function";
}
