import type { ClientRequest, IncomingMessage } from "node:http";
import { Subject, type Observable } from "rxjs";
import WebSocket, { type RawData } from "ws";
import { TransportClosedError, TransportConnectError } from "../rpc/errors.js";
import { LineFramer } from "./LineFramer.js";
import type { Transport } from "./Transport.js";

/** How to reach a remote `codex app-server --listen ws://HOST:PORT`. Every field is optional. */
export interface WebSocketTransportOptions {
  /**
   * The capability token (`--ws-auth capability-token --ws-token-file FILE`) or signed JWT
   * (`--ws-auth signed-bearer-token`). Sent as `Authorization: Bearer <token>` on the upgrade
   * request, which is where the app-server looks for it; surrounding whitespace is trimmed.
   */
  readonly token?: string;
  /** Extra headers of the upgrade request. Do not send `Origin`: the app-server answers 403 to any request that has one. */
  readonly headers?: Readonly<Record<string, string>>;
  /** How long `connect()` may take, from TCP connect to the finished upgrade. Default 10,000 ms. */
  readonly connectTimeoutMs?: number;
  /** How long `close()` waits for the closing handshake before it drops the socket. Default 1,000 ms. */
  readonly closeTimeoutMs?: number;
  /**
   * Liveness check: a ping every this many ms; a peer that has not answered the previous ping is
   * considered gone (`messages$` errors with {@link TransportClosedError}). Catches a host that
   * vanished without closing TCP. Default 30,000 ms; 0 turns it off.
   */
  readonly pingIntervalMs?: number;
}

type State = "new" | "connecting" | "open" | "ended";

/** Close codes (RFC 6455 §7.4) in words, for error messages. */
const CLOSE_CODES: Readonly<Record<number, string>> = {
  1000: "normal closure",
  1001: "going away",
  1006: "connection dropped without a close frame",
  1009: "message too big",
  1011: "server error",
};

/**
 * JSON-RPC to a remote app-server over WebSocket (`codex app-server --listen ws://IP:PORT`), with
 * the `ws` package. One JSON-RPC message per text frame, both ways. The same {@link Transport}
 * contract as stdio: plug it into `Codex.start({ transport })` and nothing above notices.
 *
 * - `connect()` rejects with {@link TransportConnectError}: `code` `"ECONNREFUSED"` when nothing
 *   listens, `status` 401 for a missing or wrong token, `code` `"ETIMEDOUT"` after `connectTimeoutMs`.
 * - `messages$` completes after `close()` and errors with {@link TransportClosedError} when the
 *   server goes away; its `exitCode` is the WebSocket close code (1006 when the server process
 *   died or dropped the connection without a close frame).
 * - A frame that holds several newline-separated messages is split into them; the app-server
 *   itself never sends one (and rejects one: it reads exactly one message per frame).
 *
 * @example
 * ```ts
 * import { Codex, WebSocketTransport } from "codex-rx";
 * const transport = new WebSocketTransport("ws://10.0.0.5:4500", { token: process.env.CODEX_WS_TOKEN });
 * await using codex = await Codex.start({ transport });
 * ```
 */
export class WebSocketTransport implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$: Observable<string> = this.subject.asObservable();
  private socket: WebSocket | undefined;
  private state: State = "new";
  private closing = false;
  private closedPromise: Promise<void> | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Settles (never rejects) when a `connect()` in flight has finished either way. */
  private connectSettled: Promise<void> | undefined;
  /** The URL for messages and errors, credentials redacted. */
  readonly url: string;

  /**
   * @param rawUrl `ws://HOST:PORT` (or `wss://` behind a TLS proxy) of the app-server
   * @param options token, headers, timeouts
   */
  constructor(
    private readonly rawUrl: string,
    private readonly options: WebSocketTransportOptions = {},
  ) {
    this.url = redact(rawUrl);
  }

  /** True once the socket is gone, for whatever reason. */
  get closed(): boolean {
    return this.state === "ended";
  }

  /** Always empty: a remote server's stderr is not ours to read. */
  stderrTail(): string {
    return "";
  }

  /**
   * Opens the socket and finishes the upgrade.
   *
   * @returns resolves when the socket is open
   * @throws {TransportConnectError} refused connection, HTTP error on upgrade (401: token), timeout, bad URL
   */
  connect(): Promise<void> {
    if (this.closing) return Promise.reject(this.connectError("closed before connect", null, "ECLOSED"));
    if (this.state !== "new") return Promise.reject(new Error("WebSocketTransport.connect() called twice"));
    this.state = "connecting";
    const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
    const headers: Record<string, string> = { ...this.options.headers };
    if (this.options.token !== undefined) headers["Authorization"] = `Bearer ${this.options.token.trim()}`;

    let socket: WebSocket;
    try {
      // The app-server does not negotiate permessage-deflate; not offering it saves a round of work per frame.
      socket = new WebSocket(this.rawUrl, { headers, perMessageDeflate: false, handshakeTimeout: timeoutMs });
    } catch (error) {
      const failure = this.connectError(`invalid WebSocket URL ${this.url}: ${messageOf(error)}`, null, "EINVALIDURL", undefined, error);
      this.end(failure);
      return Promise.reject(failure);
    }
    this.socket = socket;

    const connecting = new Promise<void>((resolve, reject) => {
      let settled = false;
      const fail = (error: TransportConnectError): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners();
        socket.on("error", () => undefined); // terminate() may still report; nobody listens any more
        socket.terminate();
        this.end(error);
        reject(error);
      };
      // Our own deadline as well as ws' handshakeTimeout: it also covers DNS and a TCP connect that never answers.
      const timer = setTimeout(() => fail(this.connectError(`no WebSocket connection to ${this.url} within ${timeoutMs} ms`, null, "ETIMEDOUT")), timeoutMs);
      timer.unref();

      socket.once("unexpected-response", (_request: ClientRequest, response: IncomingMessage) => {
        readBody(response).then((body) => {
          const status = response.statusCode ?? null;
          const hint = status === 401 ? " (missing or wrong token)" : status === 403 ? " (forbidden; an Origin header is always refused)" : "";
          fail(this.connectError(`WebSocket upgrade to ${this.url} refused: HTTP ${status ?? "?"}${hint}${body ? `: ${body}` : ""}`, status, "EUNEXPECTEDRESPONSE", body));
        });
      });
      socket.once("error", (error: NodeJS.ErrnoException) => {
        const code = this.closing ? "ECLOSED" : (error.code ?? (/timed out/i.test(error.message) ? "ETIMEDOUT" : null));
        fail(this.connectError(`cannot connect to ${this.url}: ${error.message}`, null, code, undefined, error));
      });
      socket.once("open", () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (this.closing) {
          // close() was called while we were connecting: honour it.
          socket.terminate();
          const error = this.connectError("closed before the connection was open", null, "ECLOSED");
          this.end(undefined);
          reject(error);
          return;
        }
        this.state = "open";
        this.attach(socket);
        resolve();
      });
    });
    this.connectSettled = connecting.then(
      () => undefined,
      () => undefined,
    );
    return connecting;
  }

  /**
   * Sends one message as one text frame.
   *
   * @param message one JSON-RPC message, without framing
   * @throws {TransportClosedError} when the socket is not open
   */
  send(message: string): void {
    const socket = this.socket;
    if (this.state !== "open" || this.closing || socket === undefined || socket.readyState !== WebSocket.OPEN) {
      throw new TransportClosedError({
        reason: this.closing ? "closed by client" : this.state === "new" || this.state === "connecting" ? "not connected" : "socket closed",
        exitCode: null,
        signal: null,
        stderrTail: "",
      });
    }
    // Errors of the write surface as a 'close' of the socket, which fails everything pending; nothing to do per message.
    socket.send(message, () => undefined);
  }

  /**
   * Closes the socket (closing handshake, then a hard drop after `closeTimeoutMs`) and completes
   * `messages$`. Idempotent.
   *
   * @returns resolves once the socket is gone
   */
  close(): Promise<void> {
    if (this.closedPromise !== undefined) return this.closedPromise;
    this.closing = true;
    const socket = this.socket;
    if (this.state === "connecting" && socket !== undefined) {
      // connect() is in flight: abort the handshake; connect() rejects (code ECLOSED) and ends messages$.
      socket.terminate();
      this.closedPromise = this.connectSettled ?? Promise.resolve();
      return this.closedPromise;
    }
    if (this.state !== "open" || socket === undefined) {
      this.end(undefined);
      this.closedPromise = Promise.resolve();
      return this.closedPromise;
    }
    this.closedPromise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.terminate(), this.options.closeTimeoutMs ?? 1000);
      timer.unref();
      socket.once("close", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.close(1000, "client closed");
    });
    return this.closedPromise;
  }

  /** Wires an open socket to `messages$`. */
  private attach(socket: WebSocket): void {
    let lastError: Error | undefined;
    // One message per frame is the app-server's framing; tolerate a peer that batches with
    // newlines, by the same line rules as stdio.
    const onLine = (line: string): void => this.subject.next(line);
    socket.on("message", (data: RawData) => LineFramer.lines(toBuffer(data), onLine));
    socket.on("error", (error: Error) => {
      lastError = error;
    });
    socket.once("close", (code: number, reason: Buffer) => {
      const text = reason.toString("utf8");
      const words = CLOSE_CODES[code];
      const why = this.closing
        ? "closed by client"
        : `socket closed by server${words ? ` (${words})` : ""}${text ? `: ${text}` : ""}${lastError ? `; ${lastError.message}` : ""}`;
      this.end(this.closing ? undefined : new TransportClosedError({ reason: why, exitCode: code, signal: null, stderrTail: "" }, lastError ? { cause: lastError } : undefined));
    });

    const every = this.options.pingIntervalMs ?? 30_000;
    if (every > 0) {
      let alive = true;
      socket.on("pong", () => {
        alive = true;
      });
      this.pingTimer = setInterval(() => {
        if (!alive) {
          lastError = new Error(`no pong within ${every} ms`);
          socket.terminate();
          return;
        }
        alive = false;
        socket.ping();
      }, every);
      this.pingTimer.unref();
    }
  }

  /** Ends `messages$` once: complete when the client closed (or `error` is undefined), else error. */
  private end(error: TransportClosedError | TransportConnectError | undefined): void {
    if (this.state === "ended") return;
    this.state = "ended";
    clearInterval(this.pingTimer);
    if (this.closing || error === undefined) this.subject.complete();
    else this.subject.error(error);
  }

  private connectError(message: string, status: number | null, code: string | null, body?: string, cause?: unknown): TransportConnectError {
    return new TransportConnectError(message, { url: this.url, status, code, ...(body !== undefined ? { body } : {}) }, cause !== undefined ? { cause } : undefined);
  }
}

/**
 * A {@link WebSocketTransport} to a remote app-server, for `Codex.start({ transport })`.
 *
 * @param url `ws://HOST:PORT` of `codex app-server --listen ws://HOST:PORT`
 * @param options `token` (sent as `Authorization: Bearer`), `headers`, `connectTimeoutMs`, `closeTimeoutMs`, `pingIntervalMs`
 * @returns a transport, not yet connected (`Codex.start` connects it)
 * @throws {TransportConnectError} from `connect()` (so from `Codex.start`): refused, 401 wrong token, timeout
 * @example
 * ```ts
 * import { Codex, webSocketTransport } from "codex-rx";
 * await using codex = await Codex.start({ transport: webSocketTransport("ws://127.0.0.1:4500", { token: "s3cret" }) });
 * const result = await (await codex.threadStart()).run("Say hello");
 * ```
 */
export function webSocketTransport(url: string, options: WebSocketTransportOptions = {}): WebSocketTransport {
  return new WebSocketTransport(url, options);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

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

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    for (const key of [...parsed.searchParams.keys()]) if (/token|secret|key|auth/i.test(key)) parsed.searchParams.set(key, "***");
    return parsed.toString();
  } catch {
    return url;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
