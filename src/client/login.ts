import { firstValueFrom, from, throwError, timeout } from "rxjs";
import type { LoginAccountParams, LoginAccountResponse } from "../protocol/generated/index.js";
import { ProtocolError, RequestTimeoutError } from "../errors/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { NotificationRouter } from "../routing/NotificationRouter.js";
import { ChatgptLoginHandle, DeviceCodeLoginHandle, LoginCapture } from "./LoginHandle.js";

/** How long an interactive `account/login/start` may take by default before it fails (ms). */
export const DEFAULT_LOGIN_START_TIMEOUT_MS = 30_000;
/** How long `cancel()` waits by default for the server's own completion before making one up (ms). */
export const DEFAULT_LOGIN_CANCEL_GRACE_MS = 2_000;

/** Options of the interactive logins (`loginChatgpt`, `loginChatgptDeviceCode`). */
export interface LoginStartOptions {
  /**
   * Bound on the `account/login/start` answer, default 30,000 ms.
   * The device-code flow asks auth.openai.com for a code before it answers, so without a bound a
   * black-holed network could keep it waiting indefinitely. Past the bound the call fails with
   * `RequestTimeoutError`; should the server still answer later, that orphan attempt is cancelled.
   */
  readonly timeoutMs?: number;
  /** See `LoginHandle.cancel`; default 2,000 ms. */
  readonly cancelGraceMs?: number;
}

/** Options of `loginChatgpt`: the wire's browser-login fields (all optional) and the start bounds. */
export type LoginChatgptOptions = LoginStartOptions & Omit<Extract<LoginAccountParams, { type: "chatgpt" }>, "type">;

/** @internal What an interactive login needs of its connection's context: the connection and its router. */
export interface LoginConnection {
  readonly rpc: RpcConnection;
  readonly router: NotificationRouter;
}

type InteractiveParams = Extract<LoginAccountParams, { type: "chatgpt" | "chatgptDeviceCode" }>;

function unexpected(expected: string, response: LoginAccountResponse): ProtocolError {
  return new ProtocolError(`account/login/start answered type "${response.type}" to a "${expected}" login`, {
    method: "account/login/start",
    raw: JSON.stringify(response),
  });
}

/**
 * `account/login/start` with an API key. The server stores the key (auth mode `apikey`) and answers
 * at once; an `account/updated` notification follows.
 *
 * @internal Use `codex.loginApiKey(key)`.
 */
export async function loginApiKey(rpc: RpcConnection, apiKey: string): Promise<void> {
  const response = await rpc.request("account/login/start", { type: "apiKey", apiKey });
  if (response.type !== "apiKey") throw unexpected("apiKey", response);
}

/**
 * Starts an interactive login: capture first (so an early completion is kept), send second,
 * bounded by `timeoutMs`.
 */
async function startInteractive<R extends { readonly loginId: string }>(
  { rpc, router }: LoginConnection,
  params: InteractiveParams,
  options: LoginStartOptions,
  pick: (response: LoginAccountResponse) => R | undefined,
): Promise<{ started: R; capture: LoginCapture }> {
  const capture = new LoginCapture(router);
  const ms = options.timeoutMs ?? DEFAULT_LOGIN_START_TIMEOUT_MS;
  // A Promise, not request$: giving up on it must not drop the pending entry, so a late answer
  // still arrives (and its attempt can be cancelled) instead of being an unknown response id.
  const pending = rpc.request("account/login/start", params);
  let response: LoginAccountResponse;
  try {
    response = await firstValueFrom(
      from(pending).pipe(timeout({ first: ms, with: () => throwError(() => new RequestTimeoutError("account/login/start", ms)) })),
    );
  } catch (error) {
    capture.abandon();
    if (error instanceof RequestTimeoutError) {
      pending.then(
        (late) => ("loginId" in late ? rpc.request("account/login/cancel", { loginId: late.loginId }).then(() => undefined) : undefined),
        () => undefined,
      ).catch(() => undefined);
    }
    throw error;
  }
  const started = pick(response);
  if (started === undefined) {
    capture.abandon();
    throw unexpected(params.type, response);
  }
  capture.named(started.loginId);
  return { started, capture };
}

/**
 * @internal Use `codex.loginChatgpt()`.
 */
export async function startChatgptLogin(connection: LoginConnection, options: LoginChatgptOptions = {}): Promise<ChatgptLoginHandle> {
  const { timeoutMs: _t, cancelGraceMs, ...wire } = options;
  const { started, capture } = await startInteractive(connection, { ...wire, type: "chatgpt" }, options, (r) =>
    r.type === "chatgpt" ? r : undefined,
  );
  return new ChatgptLoginHandle(connection.rpc, started.loginId, started.authUrl, capture, cancelGraceMs ?? DEFAULT_LOGIN_CANCEL_GRACE_MS);
}

/**
 * @internal Use `codex.loginChatgptDeviceCode()`.
 */
export async function startDeviceCodeLogin(connection: LoginConnection, options: LoginStartOptions = {}): Promise<DeviceCodeLoginHandle> {
  const { started, capture } = await startInteractive(connection, { type: "chatgptDeviceCode" }, options, (r) =>
    r.type === "chatgptDeviceCode" ? r : undefined,
  );
  return new DeviceCodeLoginHandle(
    connection.rpc,
    started.loginId,
    started.verificationUrl,
    started.userCode,
    capture,
    options.cancelGraceMs ?? DEFAULT_LOGIN_CANCEL_GRACE_MS,
  );
}
