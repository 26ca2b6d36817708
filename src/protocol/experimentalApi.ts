// A client started without `experimentalApi: true` refuses the experimental surface by name: the
// server would refuse it too (`-32600 "… requires experimentalApi capability"`), but only after the
// request was sent, and an unknown-key message would not say what to do.
import { ExperimentalApiRequiredError, type InputIssue } from "../errors/index.js";
import { EXPERIMENTAL_CLIENT_METHODS, EXPERIMENTAL_PARAMS_FIELDS } from "./generated/experimentalSurface.js";

const methods: ReadonlySet<string> = new Set(EXPERIMENTAL_CLIENT_METHODS);

/** What every experimental issue says to do. */
export const EXPERIMENTAL_API_HINT = "start the client with Codex.start({ experimentalApi: true })";

/**
 * @param method a client request method
 * @returns the refusal of a method only the experimental surface has, or `undefined`
 */
export function experimentalMethodError(method: string): ExperimentalApiRequiredError | undefined {
  if (!methods.has(method)) return undefined;
  return new ExperimentalApiRequiredError(method, [{ path: [], message: `experimental method: ${EXPERIMENTAL_API_HINT}`, code: "experimental_api" }]);
}

/**
 * Rewrites the unknown-key issues that name an experimental field of `method` as experimental
 * issues (first, so the message names the option), and picks the error class.
 *
 * @param method the request
 * @param issues what the stable surface found
 * @param cause zod's error, when it found any
 * @returns an {@link ExperimentalApiRequiredError} when a field is experimental, else `undefined`
 */
export function experimentalFieldsError(method: string, issues: readonly InputIssue[], cause?: unknown): ExperimentalApiRequiredError | undefined {
  const fields = EXPERIMENTAL_PARAMS_FIELDS[method];
  if (fields === undefined) return undefined;
  const experimental: InputIssue[] = [];
  const others: InputIssue[] = [];
  for (const issue of issues) {
    // Array levels are not in the table: `input.0.x` is `input.x` there.
    const field = issue.path.filter((k) => typeof k === "string").join(".");
    if (issue.code === "unrecognized_keys" && fields.includes(field)) {
      experimental.push({ path: issue.path, message: `experimental field: ${EXPERIMENTAL_API_HINT}`, code: "experimental_api" });
    } else others.push(issue);
  }
  if (experimental.length === 0) return undefined;
  return new ExperimentalApiRequiredError(method, [...experimental, ...others], cause === undefined ? undefined : { cause });
}
