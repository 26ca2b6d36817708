import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { assertNever } from "../errors/index.js";
import { lastUserText, renderStreamReply } from "./renderReply.js";
import { abortOnClose, readBody, waitForAbort, writeSteps } from "./sse.js";
import { reply } from "./reply.js";
import { isJsonObject, type FakeReply, type ReplyContext, type ResponsesRequestBody } from "./replyTypes.js";

/** Decides the reply to one request when the queue is empty. */
export type Responder = (request: ResponsesRequestBody, context: { readonly requestIndex: number }) => FakeReply | Promise<FakeReply>;

/** Options of {@link startFakeResponses}. */
export interface FakeResponsesOptions {
  /** Interface to listen on (default `127.0.0.1`). */
  readonly host?: string;
  /** Port (default 0: a free port). */
  readonly port?: number;
  /** Replies queued before the first request. */
  readonly replies?: readonly FakeReply[];
  /** Replaces the default responder ({@link echoResponder}). */
  readonly respond?: Responder;
}

/** A running fake Responses API server; see {@link startFakeResponses}. */
export interface FakeResponses extends AsyncDisposable {
  /** The base URL to put in `model_providers.<id>.base_url`, e.g. `http://127.0.0.1:40123/v1`. */
  readonly url: string;
  /** The TCP port. */
  readonly port: number;
  /** Every `POST …/responses` body received, parsed, in arrival order. */
  readonly requests: readonly ResponsesRequestBody[];
  /** Errors the fake met (a responder that threw, a body that was not JSON …), in order. */
  readonly errors: readonly Error[];
  /** How many enqueued replies are still waiting for a request. */
  readonly pending: number;
  /** Decides the reply when the queue is empty; default {@link echoResponder}. Assignable. */
  respond: Responder;
  /**
   * Queues replies; each next `POST /v1/responses` takes the first one (FIFO).
   *
   * @param replies the replies, in order.
   */
  enqueue(...replies: FakeReply[]): void;
  /**
   * The last user text of a recorded request.
   *
   * @param index which request (default: the last one; negative counts from the end).
   * @returns the text, or `null` when there is no such request or no user message.
   */
  lastUserText(index?: number): string | null;
  /**
   * Resolves once at least `count` requests have arrived.
   *
   * @param count how many requests in total.
   * @param timeoutMs rejects after this long (default 10 000).
   * @returns the recorded requests at that moment.
   */
  waitForRequests(count: number, timeoutMs?: number): Promise<readonly ResponsesRequestBody[]>;
  /** Stops listening, ends hanging replies and destroys open sockets. Idempotent. */
  close(): Promise<void>;
}

/**
 * The default responder: a text reply `echo: <last user message text>`, so concurrent turns
 * can check that each got its own answer.
 *
 * @param request the request body.
 * @returns `reply.text("echo: …")`.
 * @example
 * ```ts
 * fake.respond = echoResponder;
 * ```
 */
export function echoResponder(request: ResponsesRequestBody): FakeReply {
  return reply.text(`echo: ${lastUserText(request) ?? ""}`);
}

const MODELS_BODY = JSON.stringify({ models: [], data: [] });


function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Starts a scripted fake of the OpenAI Responses API on 127.0.0.1 (a random port), for
 * pointing the real `codex app-server` at (see `codexHomeFor`). `POST …/responses` takes the
 * next enqueued reply, else asks `respond` (default: echo the last user text). Any non-POST
 * request (e.g. `GET /v1/models`) gets `200 {"models":[],"data":[]}`.
 *
 * @param options host, port, initial replies, responder.
 * @returns the running server; close it with `close()` or `await using`.
 * @throws {Error} when the port cannot be bound
 * @example
 * ```ts
 * await using fake = await startFakeResponses();
 * fake.enqueue(reply.text("Hello world"), reply.httpError(400, { error: { message: "bad things" } }));
 * await using home = await codexHomeFor(fake);
 * // spawn `codex app-server` with env { ...process.env, ...home.env }
 * ```
 */
export async function startFakeResponses(options: FakeResponsesOptions = {}): Promise<FakeResponses> {
  const requests: ResponsesRequestBody[] = [];
  const errors: Error[] = [];
  const queue: FakeReply[] = [...(options.replies ?? [])];
  const sockets = new Set<Socket>();
  const closing = new AbortController();
  const waiters = new Set<() => void>();
  let idCounter = 0;
  let closed: Promise<void> | undefined;

  const nextId = (prefix: string): string => {
    idCounter += 1;
    return `${prefix}_${idCounter}`;
  };

  const fail = (res: ServerResponse, status: number, message: string): void => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { message, type: "fake_responses_error" } }));
  };

  async function sendReply(res: ServerResponse, answer: FakeReply, context: ReplyContext): Promise<void> {
    if (answer.kind === "http") {
      res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) });
      res.end(answer.body);
      return;
    }
    // One signal per reply: the fake closing or the client going away stops the writing.
    const signal = AbortSignal.any([closing.signal, abortOnClose(res)]);
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
    if (answer.kind === "raw") {
      await writeSteps(res, answer.render(context), signal);
      if (answer.hang) await waitForAbort(signal);
      if (!signal.aborted) res.end();
      return;
    }
    await writeSteps(res, renderStreamReply(answer, context), signal);
    switch (answer.ending.kind) {
      case "hang":
        await waitForAbort(signal);
        return;
      case "disconnect":
        res.destroy();
        return;
      case "completed":
      case "failed":
        if (!signal.aborted) res.end();
        return;
      default:
        return assertNever(answer.ending, "reply ending");
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.method !== "POST") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(MODELS_BODY);
      return;
    }
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (!path.endsWith("/responses")) {
      fail(res, 404, `fake responses: no route for POST ${path}`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (error) {
      errors.push(new Error("fake responses: request body is not JSON", { cause: error }));
      fail(res, 400, "fake responses: request body is not JSON");
      return;
    }
    if (!isJsonObject(parsed)) {
      errors.push(new Error("fake responses: request body is not a JSON object"));
      fail(res, 400, "fake responses: request body is not a JSON object");
      return;
    }
    const requestIndex = requests.length;
    requests.push(parsed);
    for (const wake of [...waiters]) wake();
    let answer: FakeReply;
    try {
      answer = queue.shift() ?? (await fake.respond(parsed, { requestIndex }));
    } catch (error) {
      const wrapped = new Error("fake responses: the responder threw", { cause: toError(error) });
      errors.push(wrapped);
      fail(res, 500, `${wrapped.message}: ${toError(error).message}`);
      return;
    }
    await sendReply(res, answer, { requestIndex, request: parsed, responseId: nextId("resp"), nextId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      errors.push(toError(error));
      fail(res, 500, toError(error).message);
    });
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake responses: no TCP address");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      for (const wake of [...waiters]) wake();
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closed;
  };

  const fake: FakeResponses = {
    url: `http://${host}:${address.port}/v1`,
    port: address.port,
    requests,
    errors,
    get pending() {
      return queue.length;
    },
    respond: options.respond ?? echoResponder,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    lastUserText: (index = -1) => {
      const request = requests.at(index);
      return request === undefined ? null : lastUserText(request);
    },
    waitForRequests: (count, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (requests.length >= count) {
            settle();
            resolve(requests);
          } else if (closing.signal.aborted) {
            settle();
            reject(new Error(`fake responses: closed after ${requests.length} of ${count} requests`));
          }
        };
        const timer = setTimeout(() => {
          settle();
          reject(new Error(`fake responses: ${requests.length} of ${count} requests after ${timeoutMs} ms`));
        }, timeoutMs);
        const settle = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close,
    [Symbol.asyncDispose]: close,
  };
  return fake;
}
