import { resolve as resolvePath } from "node:path";
import { ReplaySubject, asyncScheduler, defer, fromEvent, merge, type Observable, type SchedulerLike, type Subscription } from "rxjs";
import type { RawData, WebSocket } from "ws";
import { asCodexError, CodexError, TransportClosedError, TransportConnectError } from "../errors/index.js";
import type { ConnectionState } from "./ConnectionState.js";
import { heartbeat } from "./heartbeat.js";
import { LineFramer } from "./LineFramer.js";
import { reconnectLoop } from "./reconnectLoop.js";
import { TransportBase } from "./TransportBase.js";
import { connectError, dialWebSocket, redact } from "./webSocketDial.js";
import type { WebSocketTransportOptions } from "./WebSocketTransportOptions.js";

export type { WebSocketTransportOptions } from "./WebSocketTransportOptions.js";

/** `WebSocket.OPEN`, without loading `ws` for a constant. */
const OPEN = 1;

type State = "new" | "connecting" | "open" | "reconnecting" | "ended";

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
 * the `ws` package. One JSON-RPC message per text frame, both ways. The same `Transport`
 * contract as stdio: plug it into `Codex.start({ transport })` and nothing above notices.
 *
 * - `connect()` rejects with {@link TransportConnectError}: `code` `"ECONNREFUSED"` when nothing
 *   listens, `status` 401 for a missing or wrong token, `code` `"ETIMEDOUT"` after `connectTimeoutMs`.
 * - `messages$` completes after `close()` and errors with {@link TransportClosedError} when the
 *   server goes away; its `exitCode` is the WebSocket close code (1006 when the server process
 *   died or dropped the connection without a close frame).
 * - A frame that holds several newline-separated messages is split into them; the app-server
 *   itself never sends one (and rejects one: it reads exactly one message per frame).
 * - With `reconnect`, a dropped connection (server gone, proxy cut, no pong) is redialed with
 *   backoff; `connection$` reports `connecting`, `open`, `reconnecting` (with `attempt`, `error`)
 *   and `closed`. `Codex` then starts the session again and resumes its threads.
 *
 * @example
 * ```ts
 * import { Codex, WebSocketTransport } from "codex-rx";
 * const transport = new WebSocketTransport("ws://10.0.0.5:4500", { token: process.env.CODEX_WS_TOKEN, reconnect: { maxAttempts: 10 } });
 * await using codex = await Codex.start({ transport });
 * ```
 */
export class WebSocketTransport extends TransportBase {
  private readonly connectionSubject = new ReplaySubject<ConnectionState>(1);
  /** The connection state (connecting, open, reconnecting, closed), the current one replayed; completes after `closed`. */
  readonly connection$: Observable<ConnectionState> = this.connectionSubject.asObservable();
  private socket: WebSocket | undefined;
  /** The socket of a connection attempt in flight, so `close()` can abort it. */
  private dialing: WebSocket | undefined;
  private state: State = "new";
  private beat: Subscription | undefined;
  private loop: Subscription | undefined;
  /** Settles (never rejects) when a `connect()` in flight has finished either way. */
  private connectSettled: Promise<void> | undefined;
  private readonly scheduler: SchedulerLike;
  /** The URL for messages and errors, credentials redacted. */
  readonly url: string;

  /**
   * @param rawUrl `ws://HOST:PORT` (or `wss://` behind a TLS proxy, `ws+unix:/ABSOLUTE/PATH:/` for a unix socket) of the app-server
   * @param options token, headers, timeouts, heartbeat, reconnect
   */
  constructor(
    private readonly rawUrl: string,
    private readonly options: WebSocketTransportOptions = {},
  ) {
    super();
    this.url = redact(rawUrl);
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /**
   * Opens the socket and finishes the upgrade. The first connection is not retried: a wrong URL
   * or token fails here, at once.
   *
   * @returns resolves when the socket is open
   * @throws {TransportConnectError} refused connection, HTTP error on upgrade (401: token), timeout, bad URL; `code` `"ECLOSED"` after `close()`
   * @throws {TransportAlreadyConnectedError} on a second call
   */
  override connect(): Promise<void> {
    return super.connect();
  }

  protected override closedBeforeConnect(): TransportConnectError {
    return connectError(this.url, "closed before connect", null, "ECLOSED");
  }

  protected open(): Promise<void> {
    this.state = "connecting";
    this.connectionSubject.next({ state: "connecting" });
    const connecting = this.dial().then(
      (socket) => {
        if (this.closing) {
          // close() was called while we were connecting: honour it.
          socket.terminate();
          this.finish();
          throw connectError(this.url, "closed before the connection was open", null, "ECLOSED");
        }
        this.adopt(socket, undefined);
      },
      (error: TransportConnectError) => {
        this.finish(error);
        throw error;
      },
    );
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
   * @throws {TransportClosedError} when the socket is not open (still connecting, reconnecting, closed)
   */
  protected write(message: string): void {
    const socket = this.socket;
    if (this.state !== "open" || socket === undefined || socket.readyState !== OPEN) {
      throw this.closedError(this.state === "connecting" ? "not connected" : this.state === "reconnecting" ? "reconnecting" : this.goneReason());
    }
    // Errors of the write surface as a 'close' of the socket, which fails everything pending; nothing to do per message.
    socket.send(message, () => undefined);
  }

  /** `"socket closed"`. */
  protected goneReason(): string {
    return "socket closed";
  }

  /**
   * Closes the socket (closing handshake, then a hard drop after `closeTimeoutMs`), stops any
   * reconnecting, and completes `messages$` and `connection$`. Idempotent.
   *
   * @returns resolves once the socket is gone
   */
  override close(): Promise<void> {
    return super.close();
  }

  protected shutdown(): Promise<void> {
    const socket = this.socket;
    if (this.state === "connecting") {
      // connect() is in flight: abort the handshake; connect() rejects (code ECLOSED) and ends messages$.
      this.dialing?.terminate();
      return this.connectSettled ?? Promise.resolve();
    }
    if (this.state !== "open" || socket === undefined) {
      this.loop?.unsubscribe();
      this.dialing?.terminate();
      this.finish();
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = this.scheduler.schedule(() => socket.terminate(), this.options.closeTimeoutMs ?? 1000);
      socket.once("close", () => {
        timer.unsubscribe();
        resolve();
      });
      socket.close(1000, "client closed");
    });
  }

  /** One connection attempt (see {@link dialWebSocket}); ends nothing. */
  private dial(): Promise<WebSocket> {
    return dialWebSocket({
      rawUrl: this.rawUrl,
      url: this.url,
      token: this.options.token,
      headers: this.options.headers,
      timeoutMs: this.options.connectTimeoutMs ?? 10_000,
      scheduler: this.scheduler,
      closing: () => this.closing,
      dialing: (socket) => (this.dialing = socket),
    });
  }

  /** Makes `socket` the live connection: `attempt` is the reconnect attempt that opened it (none for the first). */
  private adopt(socket: WebSocket, attempt: number | undefined): void {
    this.state = "open";
    this.socket = socket;
    this.attach(socket);
    this.connectionSubject.next(attempt === undefined ? { state: "open" } : { state: "open", attempt });
  }

  /** Wires an open socket to `messages$`, and starts its heartbeat. */
  private attach(socket: WebSocket): void {
    let lastError: Error | undefined;
    // One message per frame is the app-server's framing; tolerate a peer that batches with
    // newlines, by the same line rules as stdio.
    const onLine = (line: string): void => this.emit(line);
    socket.on("message", (data: RawData) => LineFramer.lines(toBuffer(data), onLine));
    socket.on("error", (error: Error) => {
      lastError = error;
    });
    socket.once("close", (code: number, reason: Buffer) => {
      this.beat?.unsubscribe();
      if (this.socket === socket) this.socket = undefined;
      if (this.closing) {
        this.finish();
        return;
      }
      const text = reason.toString("utf8");
      const words = CLOSE_CODES[code];
      const why = `socket closed by server${words ? ` (${words})` : ""}${text ? `: ${text}` : ""}${lastError ? `; ${lastError.message}` : ""}`;
      this.dropped(this.closedError(why, { exitCode: code, signal: null }, lastError));
    });

    const every = this.options.pingIntervalMs ?? 30_000;
    if (every > 0) {
      const alive$ = merge(fromEvent(socket, "pong"), fromEvent(socket, "message"));
      this.beat = heartbeat(alive$, every, this.scheduler).subscribe({
        next: () => socket.ping(),
        error: (error: Error) => {
          lastError = error;
          socket.terminate();
        },
      });
    }
  }

  /** The live connection dropped: reconnect when asked to, else end with `error`. */
  private dropped(error: TransportClosedError): void {
    const reconnect = this.options.reconnect;
    if (reconnect === undefined || reconnect === false) {
      this.finish(error);
      return;
    }
    this.state = "reconnecting";
    this.loop = reconnectLoop(
      () => defer(() => this.dial()),
      error,
      reconnect === true ? {} : reconnect,
      this.scheduler,
      Math.random,
      (failure) => failure instanceof TransportConnectError && failure.unauthorized,
    ).subscribe({
      next: (step) => {
        if (step.type === "waiting") this.connectionSubject.next({ state: "reconnecting", attempt: step.attempt, error: asCodexError(step.error) });
        else if (this.closing) step.value.terminate();
        else this.adopt(step.value, step.attempt);
      },
      error: (failure: TransportClosedError) => this.finish(failure),
    });
  }

  /** `messages$` is about to end: stop the heartbeat and any reconnecting, and say `closed` on `connection$`. */
  protected override onFinish(failure: CodexError | undefined): void {
    this.state = "ended";
    this.beat?.unsubscribe();
    this.loop?.unsubscribe();
    this.connectionSubject.next(failure === undefined ? { state: "closed" } : { state: "closed", error: failure });
    this.connectionSubject.complete();
  }

}

/**
 * A {@link WebSocketTransport} to a remote app-server, for `Codex.start({ transport })`.
 *
 * @param url `ws://HOST:PORT` of `codex app-server --listen ws://HOST:PORT`
 * @param options `token` (sent as `Authorization: Bearer`), `headers`, `connectTimeoutMs`, `closeTimeoutMs`, `pingIntervalMs`, `reconnect`
 * @returns a transport, not yet connected (`Codex.start` connects it)
 * @throws {TransportConnectError} from `connect()` (so from `Codex.start`): refused, 401 wrong token, timeout
 * @example
 * ```ts
 * import { Codex, webSocketTransport } from "codex-rx";
 * await using codex = await Codex.start({
 *   transport: webSocketTransport("ws://127.0.0.1:4500", { token: "s3cret", reconnect: { maxAttempts: 10 }, pingIntervalMs: 10_000 }),
 * });
 * codex.connection$.subscribe((c) => console.log(c.state, c.attempt ?? ""));
 * const result = await (await codex.threadStart()).run("Say hello");
 * ```
 */
export function webSocketTransport(url: string, options: WebSocketTransportOptions = {}): WebSocketTransport {
  return new WebSocketTransport(url, options);
}

/**
 * A {@link WebSocketTransport} to `codex app-server --listen unix://PATH`: the app-server speaks
 * WebSocket over the unix socket (not bare newline-delimited JSON), so this is the WebSocket
 * transport on the URL `ws+unix:/ABSOLUTE/PATH:/`, with the same options (token, heartbeat, reconnect).
 *
 * @param path the socket's path (absolute, or relative to the working directory)
 * @param options as {@link webSocketTransport}: `token`, `pingIntervalMs`, `reconnect`, timeouts
 * @returns a transport, not yet connected (`Codex.start` connects it)
 * @throws {TransportConnectError} from `connect()`: no socket at `path` (`ENOENT`), nothing listening (`ECONNREFUSED`), 401
 * @example
 * ```ts
 * import { Codex, unixSocketTransport } from "codex-rx";
 * // codex app-server --listen unix:///run/codex/app-server.sock
 * await using codex = await Codex.start({ transport: unixSocketTransport("/run/codex/app-server.sock") });
 * ```
 */
export function unixSocketTransport(path: string, options: WebSocketTransportOptions = {}): WebSocketTransport {
  // `ws+unix:` + an absolute path + `:` + the request path; a relative path would parse as a host.
  return new WebSocketTransport(`ws+unix:${resolvePath(path)}:/`, options);
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

