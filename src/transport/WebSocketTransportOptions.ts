import type { SchedulerLike } from "rxjs";
import type { ReconnectOptions } from "./reconnectLoop.js";

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
   * Liveness check: a ping every this many ms; a peer that has not answered the previous ping
   * (nor sent anything) is considered gone, so a frozen or vanished host is noticed within two
   * intervals although TCP still looks open. Default 30,000 ms; 0 turns it off.
   */
  readonly pingIntervalMs?: number;
  /**
   * Reconnect after a drop instead of ending: `true` for the defaults, or the attempts and the
   * backoff (exponential with jitter). While reconnecting, `messages$` stays open and
   * `connection$` says `reconnecting`; after `maxAttempts` failed attempts (or a refused token)
   * `messages$` errors with `ReconnectFailedError`. Default: no reconnect.
   */
  readonly reconnect?: boolean | ReconnectOptions;
  /** Where the timers (connect timeout, pings, backoff, close timeout) run; a `TestScheduler` in tests. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
}
