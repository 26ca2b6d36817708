// The one place where messages are checked against the pinned protocol, both ways: what the
// server sends (notifications, responses, server requests → ProtocolError) and what the caller
// sends (request params → InvalidInputError, before anything is written).
import type { z } from "zod";
import { dottedPath, InvalidInputError, isPlainObject, ProtocolError, type InputIssue, nearest } from "../errors/index.js";
import type { ClientProtocol } from "./ClientProtocol.js";
import { experimentalFieldsError, experimentalMethodError } from "./experimentalApi.js";

type Schema = z.core.$ZodType;

/**
 * Builds the {@link ProtocolError} of a message from the server that its schema rejected.
 *
 * @param message what was being parsed (`invalid params for notification item/started`)
 * @param method the message's method
 * @param error zod's error
 * @param raw the line as received
 * @returns the error, naming the first issue's path
 */
export function invalidMessage(message: string, method: string, error: z.ZodError, raw: string): ProtocolError {
  return new ProtocolError(`${message}${whereInvalid(error)}`, { method, issues: issuesOf(error), raw }, { cause: error });
}

/**
 * zod's issues as codex-rx's errors carry them: path, message, code.
 *
 * @param error zod's error
 * @returns one issue per zod issue, in order
 */
export function issuesOf(error: z.ZodError): InputIssue[] {
  return error.issues.map((i) => ({ path: i.path, message: i.message, code: i.code }));
}

/**
 * Where zod found a message invalid, as every message of ours says it: ` at path: what`, plus
 * ` (+N more)` when there are more issues; `""` when there are none.
 *
 * @param error zod's error
 * @returns the phrase, with its leading space
 */
export function whereInvalid(error: z.ZodError): string {
  const first = error.issues[0];
  if (first === undefined) return "";
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : "";
  return ` at ${dottedPath(first.path) || "(root)"}: ${first.message}${more}`;
}

/**
 * Checks a value from the wire against its generated schema, and keeps the value itself. zod
 * builds a copy of everything it parses; the generated schemas transform nothing (no defaults,
 * no coercion, loose objects keep unknown keys: `spec/protocol/wireIdentity.spec.ts` holds them to
 * it), so the copy equals the value JSON.parse made. The value is what is routed, kept and handed
 * out: an object of JSON.parse is compact (an object of zod with more than a dozen keys, a
 * thread's metadata, is a slower and bigger dictionary), and the copy dies young.
 *
 * @param schema the message's schema
 * @param value what JSON.parse made of it
 * @returns zod's error when the value does not conform, else `undefined` (use `value` as it is)
 */
export function wireIssues(schema: z.ZodType, value: unknown): z.ZodError | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : parsed.error;
}

/**
 * The schema a method's registry (`serverNotificationSchemas`, `clientRequestParamsSchemas`, …)
 * holds for it: an own key only, so a method named like an Object builtin (`constructor`) finds none.
 *
 * @param registry a generated method → schema registry
 * @param method the method of a message
 * @returns its schema, or `undefined` when the pinned protocol does not know the method
 */
export function schemaOf(registry: Readonly<Record<string, z.ZodType>>, method: string): z.ZodType | undefined {
  return Object.prototype.hasOwnProperty.call(registry, method) ? registry[method] : undefined;
}

/**
 * Checks the params of a client request against the pinned protocol: zod's own checks, plus every
 * key the protocol does not know (the generated object schemas are loose, so zod alone keeps
 * them), each with the nearest known key as a suggestion. On the stable surface, an experimental
 * method or field is refused by name (`ExperimentalApiRequiredError`).
 *
 * @param method a client request method (one the pinned protocol does not know is not checked)
 * @param params what the caller wants to send
 * @param protocol the connection's surface (`rpc.protocol`)
 * @returns the error to raise, or `undefined` when the params are valid
 */
export function validateParams(method: string, params: unknown, protocol: ClientProtocol): InvalidInputError | undefined {
  const experimental = protocol.surface === "stable" ? experimentalMethodError(method) : undefined;
  if (experimental !== undefined) return experimental;
  const schema = schemaOf(protocol.params, method);
  if (schema === undefined) return undefined;
  const issues: InputIssue[] = [];
  unknownKeys(schema, params, [], issues);
  const parsed = (schema as z.ZodType).safeParse(params);
  if (!parsed.success) issues.push(...issuesOf(parsed.error));
  if (issues.length === 0) return undefined;
  const cause = parsed.success ? undefined : parsed.error;
  return refusal(method, issues, protocol, cause);
}

function refusal(method: string, issues: readonly InputIssue[], protocol: ClientProtocol, cause?: unknown): InvalidInputError {
  const experimental = protocol.surface === "stable" ? experimentalFieldsError(method, issues, cause) : undefined;
  return experimental ?? new InvalidInputError(method, issues, cause === undefined ? undefined : { cause });
}

/**
 * Checks the top-level keys of a facade call's options: the request's own params (minus the ones
 * the facade fills in itself) plus the facade's own options (`approvalMode`, `signal`, …).
 *
 * @param method the request the options become (`"turn/start"`)
 * @param options what the caller passed
 * @param facadeKeys the options the facade adds
 * @param filledIn the params the facade sets itself, refused as options (`threadId`, `input`)
 * @param protocol the connection's surface (`rpc.protocol`)
 * @returns the error to raise, or `undefined`
 */
export function checkOptionKeys(
  method: string,
  options: object,
  facadeKeys: readonly string[],
  filledIn: readonly string[],
  protocol: ClientProtocol,
): InvalidInputError | undefined {
  const schema = schemaOf(protocol.params, method);
  const shape = schema === undefined ? undefined : objectKeysOf(schema);
  if (shape === undefined) return undefined;
  const known = [...shape].filter((k) => !filledIn.includes(k)).concat(facadeKeys);
  const issues: InputIssue[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || known.includes(key)) continue;
    issues.push(unknownKeyIssue([key], key, known, filledIn.includes(key) ? `${key} is set by codex-rx itself` : undefined));
  }
  return issues.length === 0 ? undefined : refusal(method, issues, protocol);
}



function unknownKeyIssue(path: readonly PropertyKey[], key: string, known: Iterable<string>, why?: string): InputIssue {
  const suggestion = nearest(key, known);
  const message = why ?? (suggestion === undefined ? "unknown key" : `unknown key, did you mean ${suggestion}?`);
  return { path, message, code: "unrecognized_keys", ...(suggestion === undefined || why !== undefined ? {} : { suggestion }) };
}

// ── Walking a schema for keys it does not know ────────────────────────────────────────────────
// Caches per schema object, so a request checks its keys against a Set and does no other work.

const objectKeyCache = new WeakMap<Schema, ReadonlySet<string>>();
const discriminatorCache = new WeakMap<Schema, ReadonlyMap<unknown, Schema>>();

/**
 * The schema under lazy / optional / nullable / default / readonly / pipe wrappers. A pipe is
 * followed to its output schema (the generated `looseObject({ type }).pipe(union)` carries the
 * discriminator in front and the real shapes behind), or to its input for the discriminator
 * itself and for a transform.
 */
function unwrap(schema: Schema, side: "in" | "out" = "out"): Schema {
  let s = schema;
  for (;;) {
    const def = s._zod.def;
    switch (def.type) {
      case "lazy":
        s = (s as z.core.$ZodLazy)._zod.innerType;
        break;
      case "optional":
      case "nullable":
      case "default":
      case "prefault":
      case "readonly":
      case "nonoptional":
      case "catch":
        s = (def as z.core.$ZodOptionalDef).innerType;
        break;
      case "pipe": {
        const pipe = def as z.core.$ZodPipeDef;
        s = side === "in" || pipe.out._zod.def.type === "transform" ? pipe.in : pipe.out;
        break;
      }
      default:
        return s;
    }
  }
}

function objectKeysOf(schema: Schema): ReadonlySet<string> | undefined {
  const s = unwrap(schema);
  if (s._zod.def.type !== "object") return undefined;
  let keys = objectKeyCache.get(s);
  if (keys === undefined) {
    keys = new Set(Object.keys((s as z.core.$ZodObject)._zod.def.shape));
    objectKeyCache.set(s, keys);
  }
  return keys;
}


/** Appends an issue for every key of `value` that `schema` does not know, at any depth. */
function unknownKeys(schema: Schema, value: unknown, path: readonly PropertyKey[], out: InputIssue[]): void {
  if (value === null || typeof value !== "object") return;
  const s = unwrap(schema);
  const def = s._zod.def;
  switch (def.type) {
    case "object": {
      if (!isPlainObject(value)) return;
      const objectDef = (s as z.core.$ZodObject)._zod.def;
      // A catchall with a real schema (not `unknown`) validates the extra keys itself.
      const loose = objectDef.catchall === undefined || objectDef.catchall._zod.def.type === "unknown" || objectDef.catchall._zod.def.type === "any";
      const known = objectKeysOf(s) ?? new Set<string>();
      for (const key in value) {
        const v = value[key];
        if (known.has(key)) {
          if (v !== null && typeof v === "object") unknownKeys(objectDef.shape[key] as Schema, v, [...path, key], out);
        } else if (loose && v !== undefined) out.push(unknownKeyIssue([...path, key], key, known));
      }
      return;
    }
    case "array": {
      if (!Array.isArray(value)) return;
      const element = (def as z.core.$ZodArrayDef).element;
      value.forEach((item, i) => unknownKeys(element, item, [...path, i], out));
      return;
    }
    case "record": {
      if (!isPlainObject(value)) return;
      const valueType = (def as z.core.$ZodRecordDef).valueType;
      for (const key in value) unknownKeys(valueType, value[key], [...path, key], out);
      return;
    }
    case "union": {
      const branch = unionBranch(s as z.core.$ZodUnion, value, path);
      if (branch !== undefined) unknownKeys(branch, value, path, out);
      return;
    }
    default:
      return;
  }
}

/**
 * The branch of a union that `value` belongs to: by the discriminator when there is one, else the
 * branch that accepts it with the fewest unknown keys. `undefined` when none matches (zod reports that).
 */
function unionBranch(union: z.core.$ZodUnion, value: unknown, path: readonly PropertyKey[]): Schema | undefined {
  const discriminator = (union._zod.def as Partial<z.core.$ZodDiscriminatedUnionDef>).discriminator;
  if (discriminator !== undefined) {
    if (!isPlainObject(value)) return undefined;
    return discriminatorMap(union, discriminator).get(value[discriminator]);
  }
  let best: Schema | undefined;
  let bestCount = Infinity;
  for (const option of union._zod.def.options) {
    if (!(option as z.ZodType).safeParse(value).success) continue;
    const found: InputIssue[] = [];
    unknownKeys(option, value, path, found);
    if (found.length < bestCount) {
      best = option;
      bestCount = found.length;
      if (bestCount === 0) break;
    }
  }
  return best;
}

function discriminatorMap(union: z.core.$ZodUnion, discriminator: string): ReadonlyMap<unknown, Schema> {
  let map = discriminatorCache.get(union);
  if (map === undefined) {
    const built = new Map<unknown, Schema>();
    for (const option of union._zod.def.options) {
      const o = unwrap(option, "in");
      if (o._zod.def.type !== "object") continue;
      const tag = (o as z.core.$ZodObject)._zod.def.shape[discriminator];
      const t = tag === undefined ? undefined : unwrap(tag as Schema);
      if (t?._zod.def.type === "literal") for (const v of (t._zod.def as z.core.$ZodLiteralDef<z.core.util.Literal>).values) built.set(v, option);
    }
    map = built;
    discriminatorCache.set(union, map);
  }
  return map;
}

