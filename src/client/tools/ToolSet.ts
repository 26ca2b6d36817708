import type { InputIssue } from "../../errors/index.js";
import { InvalidInputError } from "../../errors/index.js";
import type { Tool, ToolEntry } from "./tool.js";

/** A function tool as `thread/start` `dynamicTools` has it (experimental protocol). */
export interface FunctionToolSpec {
  readonly type: "function";
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly deferLoading?: boolean;
}

/** A namespace of function tools as `thread/start` `dynamicTools` has it. */
export interface NamespaceToolSpec {
  readonly type: "namespace";
  readonly name: string;
  readonly description: string;
  readonly tools: readonly FunctionToolSpec[];
}

/** One entry of `dynamicTools`. */
export type DynamicToolSpec = FunctionToolSpec | NamespaceToolSpec;

// The server's own rules (0.171.0, each refusal measured): the Responses API's name pattern, its
// lengths, and the namespaces the Responses API or codex itself reserve.
const NAME = /^[a-zA-Z0-9_-]+$/;
const MAX_NAME = 128;
const MAX_NAMESPACE = 64;
const MAX_NAMESPACE_DESCRIPTION = 1024;
const RESERVED_NAMESPACES: ReadonlySet<string> = new Set([
  "functions", "multi_tool_use", "web", "browser", "container", "python", "image_gen", "api_tool", "file_search", "computer", "tool_search", "mcp",
]);

/**
 * The tools of one thread: the `dynamicTools` to send and the handler of each (namespace, name).
 * Built by {@link ToolSet.of}, which checks every name by the server's rules first.
 */
export class ToolSet {
  private constructor(
    /** What `thread/start` sends as `dynamicTools`. */
    readonly specs: readonly DynamicToolSpec[],
    private readonly byKey: ReadonlyMap<string, Tool>,
  ) {}

  /** How many tools (namespaced ones included). */
  get size(): number {
    return this.byKey.size;
  }

  /**
   * The handler of a call.
   *
   * @param namespace the call's namespace (`null` / absent for a plain tool)
   * @param name the tool's name
   * @returns the tool, or `undefined` when this set has none by that name
   */
  find(namespace: string | null | undefined, name: string): Tool | undefined {
    return this.byKey.get(keyOf(namespace, name));
  }

  /**
   * Checks tools and namespaces by the server's rules (name pattern and length, reserved
   * namespaces, duplicates, `deferLoading` only inside a namespace, no empty namespace) and
   * builds the set. Nothing is sent.
   *
   * @param method the call they were given to (`thread/start`), for the error
   * @param entries tools made by `tool()` and namespaces made by `toolNamespace()`
   * @returns the set
   * @throws {InvalidInputError} naming every broken rule, with its path (`tools.1.name`)
   */
  static of(method: string, entries: readonly ToolEntry[]): ToolSet {
    const issues: InputIssue[] = [];
    const specs: DynamicToolSpec[] = [];
    const byKey = new Map<string, Tool>();
    if (!Array.isArray(entries)) throw new InvalidInputError(method, [{ path: ["tools"], message: "must be an array of tool() and toolNamespace()", code: "invalid_type" }]);
    const namespaces = new Set<string>();
    entries.forEach((entry: ToolEntry, i) => {
      const path = ["tools", i];
      if (entry?.kind === "namespace") {
        checkName(entry.name, MAX_NAMESPACE, "namespace", [...path, "name"], issues);
        if (RESERVED_NAMESPACES.has(entry.name)) issues.push(issue([...path, "name"], `namespace "${entry.name}" is reserved by the server`));
        if (namespaces.has(entry.name)) issues.push(issue([...path, "name"], `duplicate namespace "${entry.name}"`));
        namespaces.add(entry.name);
        if (entry.description.length > MAX_NAMESPACE_DESCRIPTION) issues.push(issue([...path, "description"], `must be at most ${MAX_NAMESPACE_DESCRIPTION} characters`));
        if (entry.tools.length === 0) issues.push(issue([...path, "tools"], "a namespace needs at least one tool"));
        const tools: FunctionToolSpec[] = [];
        entry.tools.forEach((t, j) => {
          const spec = functionSpec(t, [...path, "tools", j], entry.name, byKey, issues);
          if (spec !== undefined) tools.push(spec);
        });
        specs.push({ type: "namespace", name: entry.name, description: entry.description, tools });
      } else {
        const spec = functionSpec(entry, path, null, byKey, issues);
        if (spec !== undefined) specs.push(spec);
      }
    });
    if (issues.length > 0) throw new InvalidInputError(method, issues);
    return new ToolSet(specs, byKey);
  }
}

function functionSpec(entry: Tool, path: readonly PropertyKey[], namespace: string | null, byKey: Map<string, Tool>, issues: InputIssue[]): FunctionToolSpec | undefined {
  if (entry?.kind !== "tool") {
    issues.push({ path, message: "must be made by tool() (or toolNamespace() at the top level)", code: "invalid_type" });
    return undefined;
  }
  checkName(entry.name, MAX_NAME, "name", [...path, "name"], issues);
  const key = keyOf(namespace, entry.name);
  if (byKey.has(key)) issues.push(issue([...path, "name"], namespace === null ? `duplicate tool name "${entry.name}"` : `duplicate tool name "${entry.name}" in namespace "${namespace}"`));
  byKey.set(key, entry);
  if (entry.deferLoading === true && namespace === null) issues.push(issue([...path, "deferLoading"], "only a tool inside a toolNamespace() can defer loading"));
  return {
    type: "function",
    name: entry.name,
    description: entry.description,
    inputSchema: entry.inputSchema,
    ...(entry.deferLoading === undefined ? {} : { deferLoading: entry.deferLoading }),
  };
}

function checkName(name: unknown, max: number, what: string, path: readonly PropertyKey[], issues: InputIssue[]): void {
  if (typeof name !== "string" || name.length === 0) issues.push(issue(path, `a ${what} must be a non-empty string`));
  else if (!NAME.test(name)) issues.push(issue(path, `${JSON.stringify(name)}: a ${what} may contain only letters, digits, _ and - (^[a-zA-Z0-9_-]+$)`));
  else if (name.length > max) issues.push(issue(path, `a ${what} must be at most ${max} characters (this one has ${name.length})`));
}

function issue(path: readonly PropertyKey[], message: string): InputIssue {
  return { path, message, code: "invalid_value" };
}

/** Namespaces and names cannot contain a space, so it separates them. */
function keyOf(namespace: string | null | undefined, name: string): string {
  return namespace === null || namespace === undefined ? name : `${namespace} ${name}`;
}
