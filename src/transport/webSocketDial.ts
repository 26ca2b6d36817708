import type { ClientRequest, IncomingMessage } from "node:http";
import type { SchedulerLike } from "rxjs";
import type WebSocket from "ws";
import { messageOf, TransportConnectError } from "../errors/index.js";

/** What one connection attempt needs: where, with which credentials, how long, on which clock. */
export interface DialOptions {
  /** The URL as given (credentials and all). */
  readonly rawUrl: string;
  /** The URL for messages and errors, credentials redacted. */
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>` on the upgrade request (trimmed). */
  readonly token?: string | undefined;
  /** Extra headers of the upgrade request. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** From TCP connect to the finished upgrade. */
  readonly timeoutMs: number;
  readonly scheduler: SchedulerLike;
  /** True once the transport is being closed: the attempt then fails with code `"ECLOSED"`. */
  readonly closing: () => boolean;
  /** Told the socket of the attempt in flight (so `close()` can abort it), and `undefined` once it settled. */
  readonly dialing: (socket: WebSocket | undefined) => void;
}

let wsModule: Promise<typeof WebSocket> | undefined;

/**
 * The `ws` package's WebSocket class, loaded on first use: a stdio user never pays for it.
 *
 * @returns the class
 */
function loadWebSocket(): Promise<typeof WebSocket> {
  wsModule ??= import("ws").then((module) => module.default);
  return wsModule;
}

/**
 * One connection attempt: resolves with the open socket, rejects with a
 * {@link TransportConnectError} (refused, HTTP error on upgrade, timeout, bad URL, closed meanwhile).
 *
 * @param options the URL, credentials, timeout and hooks of the attempt
 * @returns the open socket
 */
export async function dialWebSocket(options: DialOptions): Promise<WebSocket> {
  const { url, timeoutMs, scheduler } = options;
  const WebSocketClass = await loadWebSocket();
  if (options.closing()) throw connectError(url, "closed before the connection was open", null, "ECLOSED");
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers["Authorization"] = `Bearer ${options.token.trim()}`;
  let socket: WebSocket;
  try {
    // The app-server does not negotiate permessage-deflate; not offering it saves a round of work per frame.
    socket = new WebSocketClass(options.rawUrl, { headers, perMessageDeflate: false, handshakeTimeout: timeoutMs });
  } catch (error) {
    throw connectError(url, `invalid WebSocket URL ${url}: ${messageOf(error)}`, null, "EINVALIDURL", undefined, error);
  }
  options.dialing(socket);
  return new Promise<WebSocket>((resolve, reject) => {
    let settled = false;
    const settle = (): void => {
      settled = true;
      timer.unsubscribe();
      options.dialing(undefined);
    };
    const fail = (error: TransportConnectError): void => {
      if (settled) return;
      settle();
      socket.removeAllListeners();
      socket.on("error", () => undefined); // terminate() may still report; nobody listens any more
      socket.terminate();
      reject(error);
    };
    // Our own deadline as well as ws' handshakeTimeout: it also covers DNS and a TCP connect that never answers.
    const timer = scheduler.schedule(() => fail(connectError(url, `no WebSocket connection to ${url} within ${timeoutMs} ms`, null, "ETIMEDOUT")), timeoutMs);

    socket.once("unexpected-response", (_request: ClientRequest, response: IncomingMessage) => {
      void readBody(response).then((body) => {
        const status = response.statusCode ?? null;
        const hint = status === 401 ? " (missing or wrong token)" : status === 403 ? " (forbidden; an Origin header is always refused)" : "";
        fail(connectError(url, `WebSocket upgrade to ${url} refused: HTTP ${status ?? "?"}${hint}${body ? `: ${body}` : ""}`, status, "EUNEXPECTEDRESPONSE", body));
      });
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      const code = options.closing() ? "ECLOSED" : (error.code ?? (/timed out/i.test(error.message) ? "ETIMEDOUT" : null));
      fail(connectError(url, `cannot connect to ${url}: ${error.message}`, null, code, undefined, error));
    });
    socket.once("open", () => {
      if (settled) return;
      settle();
      socket.removeAllListeners("unexpected-response");
      socket.removeAllListeners("error");
      resolve(socket);
    });
  });
}

/**
 * A {@link TransportConnectError} for `url`.
 *
 * @param url the redacted URL
 * @param message what went wrong
 * @param status the HTTP status of a refused upgrade, else null
 * @param code `"ECONNREFUSED"`, `"ETIMEDOUT"`, `"ECLOSED"`, …, or null
 * @param body the body of a refused upgrade
 * @param cause the underlying error
 * @returns the error
 */
export function connectError(url: string, message: string, status: number | null, code: string | null, body?: string, cause?: unknown): TransportConnectError {
  return new TransportConnectError(message, { url, status, code, ...(body !== undefined ? { body } : {}) }, cause !== undefined ? { cause } : undefined);
}

/**
 * The URL with its password and token-like query parameters replaced by `***`.
 *
 * @param url a WebSocket URL
 * @returns the URL safe to print
 */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) if (/token|secret|key|auth/i.test(key)) parsed.searchParams.set(key, "***");
    return parsed.toString();
  } catch {
    return url;
  }
}

/** The first 500 characters of a refused upgrade's body (at most 4 KiB read). */
function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const done = (): void => resolve(Buffer.concat(parts).toString("utf8").trim().slice(0, 500));
    response.on("data", (chunk: Buffer) => {
      if (size < 4096) parts.push(chunk);
      size += chunk.length;
    });
    response.once("end", done);
    response.once("error", done);
    response.once("close", done);
  });
}

