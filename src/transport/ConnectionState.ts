import type { CodexError } from "../errors/index.js";

/**
 * The state of the connection to the app-server, as `codex.connection$` and a reconnecting
 * transport's `connection$` report it:
 *
 * - `connecting`: the first connection is being opened.
 * - `open`: connected (after a reconnect: and the session is restored; `attempt` says which
 *   attempt succeeded).
 * - `reconnecting`: the connection dropped; `attempt` is the reconnect attempt being waited for or
 *   made (1 for the first), `error` why the previous connection or attempt failed.
 * - `closed`: for good; `error` is set when it was not the client's own `close()`.
 */
export interface ConnectionState {
  readonly state: "connecting" | "open" | "reconnecting" | "closed";
  /** The reconnect attempt (1-based); absent for the first connection. */
  readonly attempt?: number;
  /** Why the connection (or the last attempt) failed. */
  readonly error?: CodexError;
}
