// Errors of the facade: turns, structured output, logins, goals, credentials, server versions.
import type { ThreadGoalStatus, TurnError } from "../protocol/generated/schemas.js";
import { CodexError } from "./CodexError.js";
import type { ProtocolIssue } from "./protocol.js";

/**
 * A turn ended with status `failed`. Carries the server's {@link TurnError}.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof TurnFailedError) console.error(e.turnId, e.turnError?.message); }
 * ```
 */
export class TurnFailedError extends CodexError {
  override readonly name: string = "TurnFailedError";
  readonly turnId: string;
  readonly turnError: TurnError | null;
  constructor(turnId: string, turnError: TurnError | null, options?: { cause?: unknown }) {
    super(`turn ${turnId} failed${turnError?.message ? `: ${turnError.message}` : ""}`, options);
    this.turnId = turnId;
    this.turnError = turnError;
  }
}

/** A turn's stream ended without `turn/completed` (e.g. the client closed first). Never an empty result. */
export class TurnIncompleteError extends CodexError {
  override readonly name: string = "TurnIncompleteError";
  readonly turnId: string | null;
  constructor(turnId: string | null, options?: { cause?: unknown }) {
    super(`turn ${turnId ?? "(unknown)"} ended without turn/completed`, options);
    this.turnId = turnId;
  }
}

/**
 * A turn run with an `outputSchema` answered with text that is not JSON, or JSON that the given
 * zod schema rejects.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof StructuredOutputError) console.error(e.text, e.issues); }
 * ```
 */
export class StructuredOutputError extends CodexError {
  override readonly name: string = "StructuredOutputError";
  /** The final response text that failed to parse (null when there was none). */
  readonly text: string | null;
  /** The zod issues, when the JSON parsed but did not match the schema. */
  readonly issues: readonly ProtocolIssue[];
  constructor(message: string, text: string | null, issues: readonly ProtocolIssue[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.text = text;
    this.issues = issues;
  }
}

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

/**
 * A goal run's stream ended before the goal stopped running: the client was closed (or the
 * connection ended) while the goal was active or a turn of it was running. `goal.run()` fails with
 * it, so a goal never resolves to nothing and never hangs. A dead process fails it with
 * `TransportClosedError` instead.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof GoalIncompleteError) console.error(`goal on ${e.threadId} was left ${e.status}`); }
 * ```
 */
export class GoalIncompleteError extends CodexError {
  override readonly name: string = "GoalIncompleteError";
  /** The goal's thread, when known. */
  readonly threadId: string | null;
  /** The goal's last known status (`null`: none seen). */
  readonly status: ThreadGoalStatus | "cleared" | null;
  constructor(threadId: string | null, status: ThreadGoalStatus | "cleared" | null, options?: { cause?: unknown }) {
    super(`the goal on thread ${threadId ?? "(unknown)"} ended its stream while ${status ?? "not yet reported"}`, options);
    this.threadId = threadId;
    this.status = status;
  }
}

/**
 * A server older than the versions codex-rx supports (`minimum` is the oldest): `Codex.start` refuses it (and
 * closes the connection) rather than fail later with a missing method or an unknown shape.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof UnsupportedServerVersionError) console.error(`codex ${e.version} is too old; need ${e.minimum}`); }
 * ```
 */
export class UnsupportedServerVersionError extends CodexError {
  override readonly name: string = "UnsupportedServerVersionError";
  /** The server's version, from its user agent. */
  readonly version: string;
  /** The oldest supported version. */
  readonly minimum: string;
  constructor(version: string, minimum: string, options?: { cause?: unknown }) {
    super(
      `codex app-server ${version} is older than the oldest version codex-rx supports (${minimum}). ` +
        `Use the binary of the pinned @openai/codex (unset CODEX_BIN / codexPath) or install @openai/codex@>=${minimum}.`,
      options,
    );
    this.version = version;
    this.minimum = minimum;
  }
}
