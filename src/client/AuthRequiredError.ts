import { CodexError } from "../rpc/errors.js";

/** What {@link AuthRequiredError} knows about the refused turn. */
export interface AuthRequiredDetails {
  /** The server's CODEX_HOME (where a login would be stored), when known. */
  readonly codexHome: string | null;
  /** True when `OPENAI_API_KEY` is set in the environment the app-server was started with. */
  readonly apiKeyInEnvironment: boolean;
}

/**
 * A turn was refused before it was sent: the model provider requires OpenAI authentication
 * (`account/read` says `requiresOpenaiAuth: true`) and the app-server has no login
 * (`account: null`). Without this check the server would retry the model forever ("Reconnecting…")
 * and the turn would never end. Log in (`codex.loginApiKey(key)`, `codex.loginChatgpt()`, or
 * `codex login` on the command line), use the fake model of `codex-rx/testing`, or opt out with
 * `Codex.start({ authCheck: false })` for a provider that authenticates otherwise.
 *
 * @example
 * ```ts
 * try {
 *   await thread.run("hi");
 * } catch (e) {
 *   if (e instanceof AuthRequiredError) await codex.loginApiKey(process.env.OPENAI_API_KEY!);
 * }
 * ```
 */
export class AuthRequiredError extends CodexError {
  override readonly name: string = "AuthRequiredError";
  /** The server's CODEX_HOME, when known. */
  readonly codexHome: string | null;
  /** True when `OPENAI_API_KEY` was set for the app-server (which does not read it for this provider). */
  readonly apiKeyInEnvironment: boolean;
  constructor(details: AuthRequiredDetails, options?: { cause?: unknown }) {
    const home = details.codexHome === null ? "" : ` (CODEX_HOME ${details.codexHome})`;
    const lines = [
      `not logged in: the model provider requires OpenAI authentication and the app-server has no login${home}, so the turn was not started (it would wait on retries forever).`,
      "Log in with one of:",
      "  await codex.loginApiKey(process.env.OPENAI_API_KEY!)   // stores the key in CODEX_HOME",
      "  const login = await codex.loginChatgpt(); console.log(login.authUrl); await login.wait();",
      "  codex login                                            // the CLI, on the same CODEX_HOME",
    ];
    if (details.apiKeyInEnvironment) {
      lines.push("OPENAI_API_KEY is set, but the app-server does not read it for this provider: pass it to codex.loginApiKey().");
    }
    lines.push(
      'No credentials? Use the fake model: startFakeResponses() and codexHomeFor() from "codex-rx/testing" (npm run demo runs on it).',
      "A provider that authenticates otherwise: Codex.start({ authCheck: false }).",
    );
    super(lines.join("\n"), options);
    this.codexHome = details.codexHome;
    this.apiKeyInEnvironment = details.apiKeyInEnvironment;
  }
}
