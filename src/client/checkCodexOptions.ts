// Codex.start's own options, checked before anything is spawned or dialled, like every other input:
// a typo (`aprovals`) would otherwise leave every server request unanswered by the user's callbacks,
// and a timeout given as a string would silently turn into no timeout at all.
import { InvalidInputError, isPlainObject, type InputIssue, nearest } from "../errors/index.js";
import { serverRequestSchemas } from "../protocol/generated/index.js";
import type { CommonCodexOptions, StdioCodexOptions, TransportCodexOptions } from "./CodexOptions.js";

const METHOD = "Codex.start";

/** Checks one option's value; returns what is wrong with it, or `undefined`. */
type Check = (value: unknown, path: readonly PropertyKey[]) => InputIssue | InputIssue[] | undefined;

const typeOf = (value: unknown): string => (value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? `the string ${JSON.stringify(value)}` : typeof value);
const issue = (path: readonly PropertyKey[], message: string, code = "invalid_type"): InputIssue => ({ path, message, code });
const expected = (what: string): Check => (value, path) => issue(path, `expected ${what}, got ${typeOf(value)}`);

const boolean: Check = (v, p) => (typeof v === "boolean" ? undefined : expected("true or false")(v, p));
const string: Check = (v, p) => (typeof v === "string" && v !== "" ? undefined : expected("a non-empty string")(v, p));
const func: Check = (v, p) => (typeof v === "function" ? undefined : expected("a function")(v, p));
const milliseconds: Check = (v, p) =>
  typeof v === "number" && Number.isFinite(v) && v > 0 ? undefined : expected("a number of milliseconds above 0")(v, p);
const plainObject: Check = (v, p) => (isPlainObject(v) ? undefined : expected("an object")(v, p));

const clientInfo: Check = (v, p) => {
  if (!isPlainObject(v)) return expected("{ name, version, title? }")(v, p);
  const issues = [string(v["name"], [...p, "name"]), string(v["version"], [...p, "version"])];
  if (v["title"] !== undefined) issues.push(string(v["title"], [...p, "title"]));
  issues.push(...unknownKeys(v, ["name", "version", "title"], p));
  return issues.flat().filter((i) => i !== undefined);
};

const env: Check = (v, p) => {
  if (!isPlainObject(v)) return expected("an object of environment variables")(v, p);
  return Object.entries(v).flatMap(([name, value]) => (typeof value === "string" ? [] : [expected("a string")(value, [...p, name]) as InputIssue]));
};

const scheduler: Check = (v, p) =>
  v !== null && typeof v === "object" && typeof (v as { now?: unknown }).now === "function" && typeof (v as { schedule?: unknown }).schedule === "function"
    ? undefined
    : expected("an rxjs SchedulerLike (now(), schedule())")(v, p);

const transport: Check = (v, p) =>
  v !== null && typeof v === "object" && typeof (v as { connect?: unknown }).connect === "function" && typeof (v as { send?: unknown }).send === "function"
    ? undefined
    : expected("a Transport (webSocketTransport(url), unixSocketTransport(path), …)")(v, p);

const approvals: Check = (v, p) => {
  if (!isPlainObject(v)) return expected("an object of callbacks by server request method")(v, p);
  const methods = Object.keys(serverRequestSchemas);
  return Object.entries(v).flatMap(([method, callback]): InputIssue[] => {
    if (callback === undefined) return [];
    if (!methods.includes(method)) {
      const suggestion = nearest(method, methods);
      const hint = suggestion === undefined ? "; handleServerRequest answers methods the pinned protocol does not know" : `, did you mean ${suggestion}?`;
      return [{ path: [...p, method], message: `not a server request of the pinned protocol${hint}`, code: "unrecognized_keys", ...(suggestion === undefined ? {} : { suggestion }) }];
    }
    const wrong = func(callback, [...p, method]);
    return wrong === undefined ? [] : [wrong as InputIssue];
  });
};

// `satisfies` keeps these tables in step with the option types: an option added to
// CodexOptions.ts without a check here is a type error, not an option that is never validated.
const COMMON = {
  clientInfo,
  experimentalApi: boolean,
  approvals,
  handleServerRequest: func,
  requestTimeoutMs: milliseconds,
  initializeTimeoutMs: milliseconds,
  scheduler,
  authCheck: boolean,
} as const satisfies Record<keyof CommonCodexOptions, Check>;

const STDIO_ONLY = { codexPath: string, env, cwd: string, config: plainObject } as const satisfies Record<Exclude<keyof StdioCodexOptions, keyof CommonCodexOptions | "transport">, Check>;
const CHECKS: Readonly<Record<string, Check>> = { ...COMMON, ...STDIO_ONLY, transport } satisfies Record<keyof TransportCodexOptions, Check>;
const KNOWN = Object.keys(CHECKS);

function unknownKeys(value: Readonly<Record<string, unknown>>, known: readonly string[], path: readonly PropertyKey[]): InputIssue[] {
  return Object.keys(value)
    .filter((key) => value[key] !== undefined && !known.includes(key))
    .map((key) => {
      const suggestion = nearest(key, known);
      const message = suggestion === undefined ? `unknown option (known: ${known.join(", ")})` : `unknown option, did you mean ${suggestion}?`;
      return { path: [...path, key], message, code: "unrecognized_keys", ...(suggestion === undefined ? {} : { suggestion }) };
    });
}

/**
 * Checks `Codex.start`'s options (plain JavaScript callers included) before anything is spawned or
 * dialled: unknown keys (with the nearest known one), the type of every value, and the stdio-only
 * fields beside a `transport`. An option set to `undefined` counts as absent.
 *
 * @param options what the caller passed to `Codex.start`
 * @returns nothing
 * @throws {InvalidInputError} naming the first problem (`aprovals: unknown option, did you mean approvals?`), every one in `issues`
 */
export function checkCodexOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) throw new InvalidInputError(METHOD, [expected("an options object")(options, []) as InputIssue]);
  const issues: InputIssue[] = unknownKeys(options, KNOWN, []);
  const overTransport = options["transport"] !== undefined;
  for (const [key, value] of Object.entries(options)) {
    const check = CHECKS[key];
    if (check === undefined || value === undefined) continue;
    if (overTransport && key in STDIO_ONLY) {
      issues.push(issue([key], `${key} applies only when codex-rx spawns the binary (no transport): set it where that server starts`, "invalid_value"));
      continue;
    }
    const found = check(value, [key]);
    if (found !== undefined) issues.push(...[found].flat());
  }
  if (issues.length > 0) throw new InvalidInputError(METHOD, issues);
}
