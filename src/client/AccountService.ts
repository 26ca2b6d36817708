// What Codex's login and account methods do, for one connection (ConnectionContext.account):
// loaded with the connection by the first Codex.start, not by `import "codex-rx"`.
import type { Observable } from "rxjs";
import type { ConnectionContext } from "./ConnectionContext.js";
import { accountState$, logout, readAccount, type AccountOptions, type AccountState } from "./account.js";
import { loginApiKey, startChatgptLogin, startDeviceCodeLogin, type LoginChatgptOptions, type LoginStartOptions } from "./login.js";
import type { ChatgptLoginHandle, DeviceCodeLoginHandle } from "./LoginHandle.js";

/** @internal Behind `codex.loginApiKey`, `loginChatgpt`, `loginChatgptDeviceCode`, `account`, `account$` and `logout` (documented there). */
export class AccountService {
  private state$Once: Observable<AccountState> | undefined;

  constructor(private readonly context: ConnectionContext) {}

  loginApiKey(apiKey: string): Promise<void> {
    return loginApiKey(this.context.rpc, apiKey);
  }

  loginChatgpt(options: LoginChatgptOptions): Promise<ChatgptLoginHandle> {
    return startChatgptLogin(this.context, options);
  }

  loginChatgptDeviceCode(options: LoginStartOptions): Promise<DeviceCodeLoginHandle> {
    return startDeviceCodeLogin(this.context, options);
  }

  read(options: AccountOptions): Promise<AccountState> {
    return readAccount(this.context.rpc, options);
  }

  async logout(): Promise<void> {
    await logout(this.context.rpc);
  }

  get state$(): Observable<AccountState> {
    return (this.state$Once ??= accountState$(this.context.rpc));
  }
}
