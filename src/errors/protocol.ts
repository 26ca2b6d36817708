// Errors of the protocol boundary: what the server sent or what the caller passed is not valid.
import { CodexError } from "./CodexError.js";

/** One problem zod (or the JSON parser) found in a message. */
export interface ProtocolIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
}

/**
 * A message from the server that is not valid: not JSON, not a JSON-RPC message, or params / result
 * that do not match the pinned protocol's schema. Emitted on `codex.protocolErrors$`; the stream
 * goes on. A response that fails validation also rejects its request with this error.
 *
 * @example
 * ```ts
 * codex.protocolErrors$.subscribe((e) => console.warn(e.message, e.issues));
 * ```
 */
export class ProtocolError extends CodexError {
  override readonly name: string = "ProtocolError";
  /** The method of the message, when it had one (or the method of the request a response answers). */
  readonly method: string | undefined;
  /** What was wrong, as zod issues (path + message). */
  readonly issues: readonly ProtocolIssue[];
  /** The offending raw text, cut to 2,000 characters. */
  readonly raw: string;
  constructor(message: string, details: { method?: string; issues?: readonly ProtocolIssue[]; raw?: string }, options?: { cause?: unknown }) {
    super(message, options);
    this.method = details.method;
    this.issues = details.issues ?? [];
    this.raw = (details.raw ?? "").slice(0, 2000);
  }
}

/** One problem found in what the caller passed. */
export interface InputIssue {
  /** Where, as keys and indexes from the params' root (`["sandboxPolicy", "type"]`). */
  readonly path: readonly PropertyKey[];
  /** What is wrong there. */
  readonly message: string;
  /** The zod issue code, or `"unrecognized_keys"` for a key the protocol does not know. */
  readonly code: string;
  /** For an unknown key: the nearest key that is known at that place, when one is close. */
  readonly suggestion?: string;
}

/**
 * What the caller passed is not valid for the pinned protocol (a mistyped or unknown param, a
 * preset that does not exist, an input that is not text or an input item). Raised locally, before
 * anything is written to the wire: the server never saw the request, so fixing the input and
 * calling again is safe.
 *
 * @example
 * ```ts
 * try {
 *   await codex.threadStart({ modle: "gpt-5.4" } as ThreadStartOptions);
 * } catch (e) {
 *   if (e instanceof InvalidInputError) console.error(e.path, e.issues[0]?.suggestion); // "modle" "model"
 * }
 * ```
 */
export class InvalidInputError extends CodexError {
  override readonly name: string = "InvalidInputError";
  /** The request method (`"thread/start"`) or facade call (`"Codex.start"`) the input was for. */
  readonly method: string;
  /** The first issue's path, dotted (`"sandboxPolicy.type"`, `"input.0.text"`); `""` for the root. */
  readonly path: string;
  /** Every issue found, the first one first. */
  readonly issues: readonly InputIssue[];
  constructor(method: string, issues: readonly InputIssue[], options?: { cause?: unknown }) {
    const first = issues[0];
    const path = first === undefined ? "" : dottedPath(first.path);
    const what = first === undefined ? "invalid input" : `${path || "(params)"}: ${first.message}`;
    const more = issues.length > 1 ? ` (+${issues.length - 1} more)` : "";
    super(`invalid ${method} input: ${what}${more}; nothing was sent`, options);
    this.method = method;
    this.path = path;
    this.issues = issues;
  }
}

/**
 * The caller asked for two things that contradict each other, e.g. the preset
 * `ApprovalMode.dangerouslyBypassApprovalsAndSandbox` (full access) together with an explicit
 * restricted sandbox. Refused before any request is sent: no thread is started, no turn runs.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof PresetConflictError) console.error(e.message); }
 * ```
 */
export class PresetConflictError extends InvalidInputError {
  override readonly name: string = "PresetConflictError";
}

/**
 * The caller sent an experimental method or field of the protocol (`thread/queue/add`,
 * `thread/start`'s `dynamicTools`, …) on a client started without `experimentalApi: true`.
 * Refused before anything is sent: the server would refuse it too, after the fact. Each issue has
 * the code `"experimental_api"` and names the option.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ExperimentalApiRequiredError) console.error(e.path); } // "dynamicTools"
 * // the fix: await Codex.start({ experimentalApi: true })
 * ```
 */
export class ExperimentalApiRequiredError extends InvalidInputError {
  override readonly name: string = "ExperimentalApiRequiredError";
  constructor(method: string, issues: readonly InputIssue[], options?: { cause?: unknown }) {
    super(method, issues, options);
    // Says what is experimental and what to do, rather than the first issue alone.
    const experimental = issues.filter((i) => i.code === "experimental_api").map((i) => dottedPath(i.path));
    const fields = experimental.filter((p) => p !== "");
    const what = fields.length === 0 ? `${method} is an experimental method` : `${fields.join(", ")} ${fields.length === 1 ? "is an experimental field" : "are experimental fields"} of ${method}`;
    const others = issues.length - experimental.length;
    const more = others > 0 ? ` (+${others} more)` : "";
    this.message = `${what}: start the client with Codex.start({ experimentalApi: true })${more}; nothing was sent`;
  }
}

/**
 * A path as users write it: `sandboxPolicy.type`, `input.0.text`.
 *
 * @param path keys and indexes
 * @returns the dotted form
 */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(String).join(".");
}

/**
 * An input issue of its own (a preset that does not exist, an input of the wrong type).
 *
 * @param method the call
 * @param path where
 * @param message what is wrong
 * @param suggestion what was probably meant
 * @returns the error to raise
 */
export function invalidInput(method: string, path: readonly PropertyKey[], message: string, suggestion?: string): InvalidInputError {
  return new InvalidInputError(method, [{ path, message, code: "invalid_value", ...(suggestion === undefined ? {} : { suggestion }) }]);
}
