import type { Observable } from "rxjs";
import { z } from "zod";
import { invalidInput } from "../../errors/index.js";
import type { DynamicToolCallOutputContentItem } from "../../protocol/generated/index.js";

/** What `execute` is told about the call it answers. */
export interface ToolContext {
  readonly threadId: string;
  readonly turnId: string;
  /** The model's id of this call (`item/tool/call` `callId`, the `dynamicToolCall` item's id). */
  readonly callId: string;
  /**
   * Aborts when the call is cut short: its turn ends or is interrupted, its timeout passes, or the
   * client closes. Hand it to `fetch` and friends; the answer of an aborted call is already sent.
   */
  readonly signal: AbortSignal;
}

/**
 * One content item of a tool's answer, as the wire has it (`inputText`, `inputImage` with a URL,
 * data URLs included).
 */
export type ToolContentItem = DynamicToolCallOutputContentItem;

/**
 * What `execute` may produce: a string (one text item), a content item or an array of them, or
 * any other JSON value (sent as its JSON text). `undefined` answers with no content.
 */
export type ToolOutput = string | ToolContentItem | readonly ToolContentItem[] | ToolJson | undefined;

/** Any JSON value. */
export type ToolJson = string | number | boolean | null | readonly ToolJson[] | { readonly [key: string]: ToolJson | undefined };

/** The options of {@link tool}. */
export interface ToolOptions<S extends z.ZodObject> {
  /** The name the model calls it by: `^[a-zA-Z0-9_-]{1,128}$`, unique on its thread (or in its namespace). */
  readonly name: string;
  /** What it does and when to use it, for the model. */
  readonly description: string;
  /** Its arguments: a zod object schema. Its JSON Schema (`z.toJSONSchema`) is the `inputSchema` sent. */
  readonly parameters: S;
  /**
   * Answers one call: `args` are the model's arguments parsed by `parameters` (defaults applied).
   * Return the output, or a Promise or Observable of it (the Observable's first value answers).
   * A throw, a rejection or an error answers `success: false` with the error's message.
   */
  // A method, not a function property: a tool of a narrower schema is still a `Tool` (bivariant args).
  execute(args: z.output<S>, context: ToolContext): ToolOutput | PromiseLike<ToolOutput> | Observable<ToolOutput>;
  /** After this many milliseconds the call is answered `success: false` and `signal` aborts. Default none. */
  readonly timeoutMs?: number;
  /**
   * Offered to the model only when it searches for it (the server's `deferLoading`); allowed only
   * for a tool inside a {@link toolNamespace} (the server refuses it elsewhere).
   */
  readonly deferLoading?: boolean;
}

/** A client-side tool made by {@link tool}: give it to `threadStart({ tools })`. */
export interface Tool<S extends z.ZodObject = z.ZodObject> extends ToolOptions<S> {
  readonly kind: "tool";
  /** `parameters` as JSON Schema: the `inputSchema` sent to the server. */
  readonly inputSchema: Readonly<Record<string, unknown>>;
}

/**
 * A client-side tool: a TypeScript function the model can call, its arguments typed and checked
 * by a zod object schema. Give it to `codex.threadStart({ tools })` (the client must be started
 * with `experimentalApi: true`); each call the model makes is answered exactly once, with
 * `execute`'s output, or `success: false` and a reason the model can act on (bad arguments, a
 * throw, a timeout, the turn ended).
 *
 * @param options `name`, `description`, `parameters` (a zod object), `execute(args, context)`, optional `timeoutMs`, `deferLoading`
 * @returns the tool
 * @throws {InvalidInputError} when `parameters` is not a zod object schema, `execute` is not a function, or `timeoutMs` is not a positive number
 * @example
 * ```ts
 * const weather = tool({
 *   name: "get_weather",
 *   description: "Current weather of a city",
 *   parameters: z.object({ city: z.string(), unit: z.enum(["C", "F"]).default("C") }),
 *   execute: async ({ city, unit }, { signal }) => (await fetch(`https://wttr.in/${city}?format=3&${unit === "C" ? "m" : "u"}`, { signal })).text(),
 * });
 * await using codex = await Codex.start({ experimentalApi: true });
 * const thread = await codex.threadStart({ tools: [weather] });
 * ```
 */
export function tool<S extends z.ZodObject>(options: ToolOptions<S>): Tool<S> {
  if (!(options.parameters instanceof z.ZodObject)) throw invalidInput("tool", ["parameters"], "must be a zod object schema (z.object({ … }))");
  if (typeof options.execute !== "function") throw invalidInput("tool", ["execute"], "must be a function");
  const { timeoutMs } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === "number" && timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw invalidInput("tool", ["timeoutMs"], "must be a positive number of milliseconds");
  }
  // "input": the schema of what the model may send, so fields with defaults stay optional.
  const inputSchema = z.toJSONSchema(options.parameters, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete inputSchema["$schema"];
  return Object.freeze({ ...options, kind: "tool" as const, inputSchema: Object.freeze(inputSchema) });
}

/** A group of tools the model sees under one namespace (the server's `namespace` tool spec). */
export interface ToolNamespace {
  readonly kind: "namespace";
  /** `^[a-zA-Z0-9_-]{1,64}$`, not a reserved namespace (`functions`, `web`, `mcp`, …). */
  readonly name: string;
  /** What the group is for, at most 1,024 characters. */
  readonly description: string;
  /** Its tools (at least one); their names are unique within it. */
  readonly tools: readonly Tool[];
}

/**
 * Groups tools under a namespace: the model calls them as `name.tool`, and their own names need
 * only be unique within it. Tools marked `deferLoading` are offered only when the model searches
 * for them.
 *
 * @param options `name`, `description`, `tools`
 * @returns the namespace, to give to `threadStart({ tools })` beside plain tools
 * @example
 * ```ts
 * const crm = toolNamespace({ name: "crm", description: "Our customer database", tools: [findCustomer, listOrders] });
 * const thread = await codex.threadStart({ tools: [weather, crm] });
 * ```
 */
export function toolNamespace(options: Omit<ToolNamespace, "kind">): ToolNamespace {
  return Object.freeze({ kind: "namespace" as const, name: options.name, description: options.description, tools: Object.freeze([...options.tools]) });
}

/** What `threadStart({ tools })` accepts: tools and namespaces of tools. */
export type ToolEntry = Tool | ToolNamespace;
