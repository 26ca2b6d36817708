import { concatMap, defer, distinctUntilChanged, merge, of, shareReplay, type Observable } from "rxjs";
import type { GetAccountResponse } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { RequestOptions } from "../rpc/rpcTypes.js";
import { ofMethod } from "../routing/ofMethod.js";

/**
 * The account as `account/read` describes it: `account` (`{ type: "apiKey" }`,
 * `{ type: "chatgpt", email, planType }`, … or `null` when logged out), `requiresOpenaiAuth`,
 * `userId`. With a model provider that does not need OpenAI auth, `account` stays `null` even
 * after a login (`requiresOpenaiAuth: false`).
 */
export type AccountState = GetAccountResponse;

/** Options of `codex.account()`. */
export interface AccountOptions {
  /** Ask the server to refresh ChatGPT tokens before answering (managed auth only). */
  readonly refreshToken?: boolean;
}

/**
 * @internal Use `codex.account()`. The one way the client reads the account (`codex.account()`,
 * `codex.account$`, the account check before a turn).
 *
 * @param rpc the connection
 * @param options `refreshToken`
 * @param request the request's own options (the account check's timeout)
 * @returns the account
 */
export function readAccount(rpc: RpcConnection, options: AccountOptions = {}, request?: RequestOptions): Promise<AccountState> {
  return rpc.request("account/read", options.refreshToken === undefined ? {} : { refreshToken: options.refreshToken }, request);
}

/** @internal Use `codex.logout()`. */
export async function logout(rpc: RpcConnection): Promise<void> {
  await rpc.request("account/logout", undefined);
}

function sameState(a: AccountState, b: AccountState): boolean {
  // Both came from JSON on the wire, parsed by the same schema: equal text is equal state.
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * @internal Use `codex.account$`. `account/updated` only says the auth mode and plan changed,
 * so each one triggers an `account/read` for the full state. Reads run one at a time
 * (concatMap), and each is a Promise, so unsubscribing never abandons a request mid-flight.
 */
export function accountState$(rpc: RpcConnection): Observable<AccountState> {
  return merge(
    // Subscribe first, read second: an update during the first read triggers another read.
    rpc.notifications$.pipe(ofMethod("account/updated")),
    of(undefined),
  ).pipe(
    concatMap(() => defer(() => readAccount(rpc))),
    distinctUntilChanged(sameState),
    shareReplay({ bufferSize: 1, refCount: true }),
  );
}
