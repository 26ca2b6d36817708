import type { Observable } from "rxjs";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import type { AccountOptions, AccountState } from "./account.js";
import type { LoginChatgptOptions, LoginStartOptions } from "./login.js";
import type { ChatgptLoginHandle, DeviceCodeLoginHandle } from "./LoginHandle.js";

/**
 * The login and account methods of {@link Codex}, which extends this class: call them on a
 * `Codex` (`codex.loginApiKey(key)`, `codex.account$`, …).
 */
export abstract class CodexAccount {
  /** @internal Called by `Codex`'s constructor. */
  protected constructor(
    /** @internal The connection and what exists once per connection (router, session, account check). */
    protected readonly context: ConnectionContext,
  ) {}

  /** The JSON-RPC connection underneath; `codex.request()` is the public way to it. */
  protected get rpc(): RpcConnection {
    return this.context.rpc;
  }

  /**
   * Logs in with an OpenAI API key (`account/login/start` type `apiKey`). Completes at once: the
   * server stores the key in CODEX_HOME (auth mode `apikey`), then sends `account/updated`.
   *
   * @param apiKey the key (`sk-…`)
   * @throws {JsonRpcError} when the server rejects it
   * @example
   * ```ts
   * await codex.loginApiKey(process.env.OPENAI_API_KEY!);
   * ```
   */
  loginApiKey(apiKey: string): Promise<void> {
    return this.context.account.loginApiKey(apiKey);
  }

  /**
   * Starts a ChatGPT browser login. The app-server opens a local callback server and answers with the URL to open; the handle's `completed$`
   * emits when the browser comes back, or when the attempt is cancelled or replaced by a newer
   * login (on this server, or on another codex process that takes the callback port), with
   * `success: false`.
   *
   * @param options optional wire fields (`appBrand`, …) and `timeoutMs` (default 30 s)
   * @returns the {@link ChatgptLoginHandle}: `loginId`, `authUrl`, `completed$`, `wait()`, `cancel()`
   * @throws {JsonRpcError} when the server refuses to start the login
   * @throws {RequestTimeoutError} when the server does not answer within `timeoutMs`
   * @example
   * ```ts
   * await using login = await codex.loginChatgpt();
   * console.log("Open", login.authUrl);
   * const { success, error } = await login.wait();
   * ```
   */
  loginChatgpt(options: LoginChatgptOptions = {}): Promise<ChatgptLoginHandle> {
    return this.context.account.loginChatgpt(options);
  }

  /**
   * Starts a ChatGPT device-code login. The server first asks auth.openai.com for a code, so this
   * needs the network: without it the server answers -32603 "failed to request device code"
   * (an `InternalRpcError`). The answer is bounded by `timeoutMs` (default 30 s), so it never hangs.
   *
   * @param options `timeoutMs`, `cancelGraceMs`
   * @returns the {@link DeviceCodeLoginHandle}: `loginId`, `verificationUrl`, `userCode`, `completed$`, `wait()`, `cancel()`
   * @throws {InternalRpcError} when the server cannot get a device code (e.g. no network)
   * @throws {RequestTimeoutError} when the server does not answer within `timeoutMs`
   * @example
   * ```ts
   * const dc = await codex.loginChatgptDeviceCode();
   * console.log(`Open ${dc.verificationUrl} and enter ${dc.userCode}`);
   * await dc.wait();
   * ```
   */
  loginChatgptDeviceCode(options: LoginStartOptions = {}): Promise<DeviceCodeLoginHandle> {
    return this.context.account.loginChatgptDeviceCode(options);
  }

  /**
   * Reads the account (`account/read`): `account` (`{ type: "apiKey" }`, `{ type: "chatgpt",
   * email, planType }`, … or `null`), `requiresOpenaiAuth`, `userId`.
   *
   * @param options `refreshToken`: refresh ChatGPT tokens first
   * @returns the {@link AccountState}
   * @throws {JsonRpcError} when the server fails to read it
   * @example
   * ```ts
   * const { account } = await codex.account();
   * if (account?.type === "chatgpt") console.log(account.email, account.planType);
   * ```
   */
  account(options: AccountOptions = {}): Promise<AccountState> {
    return this.context.account.read(options);
  }

  /**
   * Logs out (`account/logout`): the server forgets the stored credentials and sends
   * `account/updated` with `authMode: null`. Logging out twice is harmless.
   *
   * @throws {JsonRpcError} when the server fails to log out
   * @example
   * ```ts
   * await codex.logout();
   * ```
   */
  logout(): Promise<void> {
    return this.context.account.logout();
  }

  /**
   * The account as state: the current value on subscribe (one `account/read`), then a fresh
   * value after each `account/updated` (login, logout, token change), repeats suppressed.
   * Shared: concurrent subscribers cause one read and late ones get the latest value replayed;
   * once the last one unsubscribes, the next subscription reads afresh. Completes when the client
   * closes; errors when a read fails.
   *
   * @example
   * ```ts
   * codex.account$.subscribe(({ account }) => console.log(account?.type ?? "logged out"));
   * ```
   */
  get account$(): Observable<AccountState> {
    return this.context.account.state$;
  }
}
