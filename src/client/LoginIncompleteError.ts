import { CodexError } from "../rpc/errors.js";

/**
 * A login attempt's stream ended without its `account/login/completed`: the client was closed
 * (or the connection ended) while the attempt was still open. `wait()` and `completed$` fail with
 * it, so a login never resolves to nothing and never hangs. A dead process fails them with
 * `TransportClosedError` instead.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof LoginIncompleteError) console.error(`login ${e.loginId} never completed`); }
 * ```
 */
export class LoginIncompleteError extends CodexError {
  override readonly name: string = "LoginIncompleteError";
  /** The attempt, when the server had named it. */
  readonly loginId: string | null;
  constructor(loginId: string | null, options?: { cause?: unknown }) {
    super(`login ${loginId ?? "(unnamed)"} ended without account/login/completed`, options);
    this.loginId = loginId;
  }
}
