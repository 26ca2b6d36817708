import { InvalidRequestError, MethodNotFoundError, AuthRequiredError, type AuthRequiredDetails } from "../errors/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { ofMethod } from "../routing/ofMethod.js";
import { readAccount, type AccountState } from "./account.js";

/** How long the check waits for `account/read`; a server that does not answer gets no verdict, not a hang. */
const ACCOUNT_CHECK_TIMEOUT_MS = 10_000;

/** The server does not know `account/read`: there is nothing to check on this connection. */
const UNSUPPORTED = "unsupported";

/**
 * @internal Refuses a turn that cannot reach its model: the provider requires OpenAI auth and
 * there is no login. One `account/read` per client; a good answer is kept until `account/updated`
 * (login, logout), a missing login is read again next time (the user may have logged in since).
 * One per connection, on its `ConnectionContext` (absent when `authCheck: false`).
 */
export class AccountCheck {
  private known: Promise<AccountState | typeof UNSUPPORTED | undefined> | undefined;

  constructor(
    private readonly rpc: RpcConnection,
    private readonly details: AuthRequiredDetails,
  ) {
    // One subscription for the client's life, taken before any read: an update during a read
    // makes the next turn read again.
    this.rpc.notifications$.pipe(ofMethod("account/updated")).subscribe({
      next: () => {
        this.known = undefined;
      },
      error: () => undefined,
    });
  }

  /**
   * Before `turn/start`: resolves when the turn can reach its model, rejects with
   * {@link AuthRequiredError} when it cannot.
   */
  async ensure(): Promise<void> {
    const read = (this.known ??= readAccount(this.rpc, {}, { timeoutMs: ACCOUNT_CHECK_TIMEOUT_MS }).catch((error: unknown) =>
      error instanceof MethodNotFoundError || error instanceof InvalidRequestError ? UNSUPPORTED : undefined,
    ));
    const state = await read;
    // A server without account/read keeps that answer: it is not asked again on every turn.
    if (state === UNSUPPORTED) return;
    if (state === undefined) {
      // account/read failed or timed out (an older or unusual server): no verdict; turn/start reports what is wrong.
      if (this.known === read) this.known = undefined;
      return;
    }
    if (state.requiresOpenaiAuth && state.account === null) {
      if (this.known === read) this.known = undefined;
      throw new AuthRequiredError(this.details);
    }
  }
}
