/**
 * `npm run generate`: writes `src/protocol/generated/` (zod schemas, TypeScript types and method
 * registries) from the JSON Schema that the pinned `codex` binary prints about its own protocol
 * (`codex app-server generate-json-schema`, stable surface only).
 *
 * Decisions (kept in one place so the generated code and DESIGN.md can point here):
 * - Every object is `z.looseObject` — also where the schema says `additionalProperties: false`.
 *   A newer server adding a field must not turn a good message into a protocol error, and keys
 *   we do not know are kept (the wire is passed on as-is). The TypeScript types list only the
 *   known keys. Consequence: in an untagged union (`anyOf` / `oneOf` without a discriminator) the
 *   first matching alternative wins ("at least one" rather than JSON Schema's "exactly one");
 *   since no schema transforms its input, which alternative matched never changes the value.
 * - `default` is documented (`@defaultValue`), never applied: the parsed value is the wire value.
 * - `integer` is `z.int()` (a safe integer), `minimum` / `minLength` are enforced, `format`s such
 *   as `uint32` only select integer vs number.
 * - `oneOf`/`anyOf` is a `z.discriminatedUnion` when every alternative is an object with one
 *   required key holding a single string literal, unique per alternative; otherwise `z.union`.
 *   Object schemas that have both `properties` and `anyOf`/`oneOf` become a union of merged
 *   objects (falling back to `z.intersection` when an alternative is not an inline object).
 * - Every definition's schema is built on first use (`typed<X>()(() => …)` wraps it in `z.lazy`):
 *   a client touches a few dozen of the ~770 definitions, and building them all at import cost
 *   ≈ 100 ms and ≈ 15 MiB. Definitions are still emitted in dependency order, and a reference that
 *   closes a cycle is also wrapped in its own `z.lazy`.
 * - Request params the schema types as `null` (or `X | null`) may also be omitted: the server
 *   declares them `Option<…>`, so the registries accept `undefined` there as well.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { resolveCodexBinary } from "../src/transport/resolveCodexBinary.js";

const execFileAsync = promisify(execFile);

// ---------------------------------------------------------------------------------------------
// JSON Schema → normalized nodes
// ---------------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type Literal = string | number | boolean | null;

interface Prop {
  readonly name: string;
  readonly node: Node;
  readonly required: boolean;
  readonly description: string | undefined;
  readonly defaultValue: Json | undefined;
}

interface ObjectNode {
  readonly k: "object";
  readonly props: readonly Prop[];
  /** "none": only the listed keys are typed; "any": an explicit `[key: string]: unknown`. */
  readonly additional: "none" | "any" | Node;
  readonly description?: string | undefined;
}

type Node =
  | { readonly k: "unknown"; readonly description?: string | undefined }
  | { readonly k: "never"; readonly description?: string | undefined }
  | { readonly k: "null"; readonly description?: string | undefined }
  | { readonly k: "string"; readonly minLength?: number | undefined; readonly description?: string | undefined }
  | {
      readonly k: "number";
      readonly integer: boolean;
      readonly minimum?: number | undefined;
      readonly description?: string | undefined;
    }
  | { readonly k: "boolean"; readonly description?: string | undefined }
  | { readonly k: "literal"; readonly values: readonly Literal[]; readonly description?: string | undefined }
  | { readonly k: "array"; readonly items: Node; readonly description?: string | undefined }
  | ObjectNode
  | { readonly k: "record"; readonly value: Node; readonly description?: string | undefined }
  | { readonly k: "ref"; readonly name: string; readonly description?: string | undefined }
  | { readonly k: "union"; readonly options: readonly Node[]; readonly description?: string | undefined }
  | { readonly k: "nullable"; readonly inner: Node; readonly description?: string | undefined }
  | { readonly k: "intersection"; readonly parts: readonly Node[]; readonly description?: string | undefined }
  | {
      readonly k: "discriminated";
      readonly key: string;
      /** One group per alternative; a group holds several objects when the alternative itself is a union. */
      readonly groups: readonly { readonly value: string; readonly objects: readonly ObjectNode[] }[];
      readonly description?: string | undefined;
    };

const STRUCTURAL = ["type", "properties", "additionalProperties", "items", "enum", "$ref", "anyOf", "oneOf", "allOf"];

function isObject(x: unknown): x is JsonObject {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function str(x: Json | undefined): string | undefined {
  return typeof x === "string" ? x : undefined;
}

function num(x: Json | undefined): number | undefined {
  return typeof x === "number" ? x : undefined;
}

function arr(x: Json | undefined): Json[] {
  return Array.isArray(x) ? x : [];
}

function refName(ref: string): string {
  const m = /^#\/definitions\/(?:v2\/)?([^/]+)$/.exec(ref);
  if (m === null || m[1] === undefined) throw new Error(`Unsupported $ref ${ref}`);
  return m[1];
}

function withDescription(node: Node, description: string | undefined): Node {
  return description === undefined ? node : { ...node, description };
}

function isNullSchema(s: Json): boolean {
  return (
    isObject(s) && s["type"] === "null" && Object.keys(s).every((k) => ["type", "description", "title"].includes(k))
  );
}

/** Converts one JSON Schema to a node; `description` is attached to the node for the caller. */
function toNode(schema: Json): Node {
  if (schema === true) return { k: "unknown" };
  if (schema === false) return { k: "never" };
  if (!isObject(schema)) throw new Error(`Unsupported schema ${JSON.stringify(schema)}`);
  const description = str(schema["description"]);
  return withDescription(toNodeBare(schema), description);
}

function toNodeBare(schema: JsonObject): Node {
  const ref = str(schema["$ref"]);
  if (ref !== undefined) return { k: "ref", name: refName(ref) };

  const allOf = schema["allOf"];
  if (Array.isArray(allOf)) {
    const rest: JsonObject = { ...schema };
    delete rest["allOf"];
    const parts = allOf.map(toNode);
    if (STRUCTURAL.some((k) => k in rest)) parts.unshift(toNodeBare(rest));
    return parts.length === 1 && parts[0] !== undefined ? parts[0] : { k: "intersection", parts };
  }

  const alternatives = schema["anyOf"] ?? schema["oneOf"];
  if (Array.isArray(alternatives)) return alternativesNode(schema, alternatives);

  const enumValues = schema["enum"];
  if (Array.isArray(enumValues)) {
    const values = enumValues.map((v): Literal => {
      if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
      throw new Error(`Unsupported enum value ${JSON.stringify(v)}`);
    });
    return { k: "literal", values };
  }

  const type = schema["type"];
  if (Array.isArray(type)) {
    const types = type.map((t) => {
      if (typeof t !== "string") throw new Error(`Unsupported type ${JSON.stringify(t)}`);
      return t;
    });
    const nonNull = types.filter((t) => t !== "null").map((t) => typedNode(schema, t));
    const inner: Node =
      nonNull.length === 1 && nonNull[0] !== undefined ? nonNull[0] : { k: "union", options: nonNull };
    return types.includes("null") ? { k: "nullable", inner } : inner;
  }
  if (typeof type === "string") return typedNode(schema, type);
  if (isObject(schema["properties"]) || "additionalProperties" in schema) return typedNode(schema, "object");
  if ("items" in schema) return typedNode(schema, "array");
  return { k: "unknown" };
}

function typedNode(schema: JsonObject, type: string): Node {
  switch (type) {
    case "null":
      return { k: "null" };
    case "string":
      return { k: "string", minLength: num(schema["minLength"]) };
    case "integer":
      return { k: "number", integer: true, minimum: num(schema["minimum"]) };
    case "number":
      return { k: "number", integer: false, minimum: num(schema["minimum"]) };
    case "boolean":
      return { k: "boolean" };
    case "array": {
      const items = schema["items"];
      return { k: "array", items: items === undefined ? { k: "unknown" } : toNode(items) };
    }
    case "object":
      return objectNode(schema);
    default:
      throw new Error(`Unsupported type ${type}`);
  }
}

function objectNode(schema: JsonObject): Node {
  const properties = schema["properties"];
  const additional = schema["additionalProperties"];
  if (!isObject(properties)) {
    // Only a map: `{ [key: string]: S }` (or anything object-shaped when nothing is said).
    if (isObject(additional)) return { k: "record", value: toNode(additional) };
    return { k: "record", value: { k: "unknown" } };
  }
  const required = new Set(arr(schema["required"]).filter((r): r is string => typeof r === "string"));
  const props: Prop[] = Object.keys(properties)
    .sort()
    .map((name) => {
      const ps = properties[name] ?? true;
      const node = toNode(ps);
      return {
        name,
        node,
        required: required.has(name),
        description: node.description,
        defaultValue: isObject(ps) ? ps["default"] : undefined,
      };
    });
  return {
    k: "object",
    props,
    additional: additional === true ? "any" : isObject(additional) ? toNode(additional) : "none",
  };
}

/** The inline object schemas an alternative stands for (several when it is itself a union of objects). */
function expandObjects(schema: Json): ObjectNode[] | null {
  if (!isObject(schema) || "$ref" in schema || "allOf" in schema || "enum" in schema) return null;
  const type = schema["type"];
  if (type !== undefined && type !== "object") return null;
  const alternatives = schema["anyOf"] ?? schema["oneOf"];
  if (!isObject(schema["properties"]) && !Array.isArray(alternatives)) return null;
  const description = str(schema["description"]);
  const base = objectNode({ ...schema, properties: isObject(schema["properties"]) ? schema["properties"] : {} });
  if (base.k !== "object") return null;
  if (!Array.isArray(alternatives)) return [{ ...base, description }];
  const out: ObjectNode[] = [];
  for (const alternative of alternatives) {
    const objects = expandObjects(alternative);
    if (objects === null) return null;
    for (const o of objects) out.push({ ...mergeObjects(base, o), description: o.description ?? description });
  }
  return out;
}

function mergeObjects(base: ObjectNode, extra: ObjectNode): ObjectNode {
  const byName = new Map<string, Prop>();
  for (const p of base.props) byName.set(p.name, p);
  for (const p of extra.props) {
    const prior = byName.get(p.name);
    byName.set(p.name, prior !== undefined && prior.required && !p.required ? { ...p, required: true } : p);
  }
  return {
    k: "object",
    props: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    additional: extra.additional === "none" ? base.additional : extra.additional,
  };
}

function alternativesNode(schema: JsonObject, alternatives: Json[]): Node {
  const nullable = alternatives.some(isNullSchema);
  const alts = alternatives.filter((a) => !isNullSchema(a));
  const hasBase = isObject(schema["properties"]) || schema["type"] === "object";
  const base = hasBase ? objectNode({ ...schema, anyOf: null, oneOf: null }) : undefined;

  // Each alternative becomes a group: several objects when it is itself a union of objects.
  const groups: Node[][] = alts.map((alt) => {
    const objects = expandObjects(alt);
    if (base !== undefined && base.k === "object") {
      if (objects !== null) return objects.map((o) => ({ ...mergeObjects(base, o), description: o.description }));
      return [{ k: "intersection", parts: [base, toNode(alt)] }];
    }
    return objects ?? [toNode(alt)];
  });

  const discriminated = discriminate(groups);
  let node: Node;
  if (discriminated !== null) node = discriminated;
  else {
    const options = groups.flat();
    node = options.length === 1 && options[0] !== undefined ? options[0] : { k: "union", options };
  }
  return nullable ? { k: "nullable", inner: node } : node;
}

function literalOf(o: ObjectNode, key: string): string | undefined {
  const p = o.props.find((x) => x.name === key);
  if (p === undefined || !p.required || p.node.k !== "literal" || p.node.values.length !== 1) return undefined;
  const v = p.node.values[0];
  return typeof v === "string" ? v : undefined;
}

function discriminate(groups: Node[][]): Node | null {
  if (groups.length < 2) return null;
  const objectGroups: ObjectNode[][] = [];
  for (const g of groups) {
    if (!g.every((n): n is ObjectNode => n.k === "object")) return null;
    objectGroups.push(g);
  }
  const first = objectGroups[0]?.[0];
  if (first === undefined) return null;
  const candidates = first.props
    .map((p) => p.name)
    .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
  for (const key of candidates) {
    const values: string[] = [];
    let ok = true;
    for (const g of objectGroups) {
      const vs = new Set(g.map((o) => literalOf(o, key)));
      const v = [...vs][0];
      if (vs.size !== 1 || v === undefined || values.includes(v)) {
        ok = false;
        break;
      }
      values.push(v);
    }
    if (ok) {
      return {
        k: "discriminated",
        key,
        groups: objectGroups.map((objects, i) => ({ value: values[i] ?? "", objects })),
      };
    }
  }
  return null;
}

function rank(key: string): number {
  return key === "type" ? 0 : key === "method" ? 1 : 2;
}

function refsOf(node: Node, out: Set<string>): Set<string> {
  switch (node.k) {
    case "ref":
      out.add(node.name);
      break;
    case "array":
      refsOf(node.items, out);
      break;
    case "record":
      refsOf(node.value, out);
      break;
    case "object":
      for (const p of node.props) refsOf(p.node, out);
      if (typeof node.additional === "object") refsOf(node.additional, out);
      break;
    case "union":
      for (const o of node.options) refsOf(o, out);
      break;
    case "nullable":
      refsOf(node.inner, out);
      break;
    case "intersection":
      for (const p of node.parts) refsOf(p, out);
      break;
    case "discriminated":
      for (const g of node.groups) for (const o of g.objects) refsOf(o, out);
      break;
    default:
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// A small pretty printer (prettier-ish: 100 columns, 2 spaces, trailing commas when broken)
// ---------------------------------------------------------------------------------------------

const WIDTH = 100;

interface Item {
  readonly doc: Doc;
  readonly comment?: string | undefined;
}

type Doc =
  | string
  | { readonly t: "concat"; readonly parts: readonly Doc[] }
  | {
      readonly t: "list";
      readonly open: string;
      readonly close: string;
      readonly flatOpen: string;
      readonly flatClose: string;
      readonly sep: string;
      readonly trailing: boolean;
      readonly items: readonly Item[];
    }
  | { readonly t: "union"; readonly items: readonly Item[] }
  /** `label: value` / `label = value`, breaking after the label when the value is long. */
  | { readonly t: "assign"; readonly label: string; readonly value: Doc; readonly end: string };

function concat(...parts: Doc[]): Doc {
  return { t: "concat", parts };
}

function list(open: string, close: string, items: Item[], opts: { flatPad?: boolean; sep?: string } = {}): Doc {
  const pad = opts.flatPad === true ? " " : "";
  return {
    t: "list",
    open,
    close,
    flatOpen: items.length === 0 ? open : open + pad,
    flatClose: items.length === 0 ? close : pad + close,
    sep: opts.sep ?? ",",
    trailing: true,
    items,
  };
}

/** The one-line rendering, or null when the doc must break (comments, or too long). */
/** The items on one line each, or null when any has a comment or cannot be flat. */
function flatItems(items: readonly Item[]): string[] | null {
  const parts: string[] = [];
  for (const it of items) {
    if (it.comment !== undefined) return null;
    const f = flat(it.doc);
    if (f === null) return null;
    parts.push(f);
  }
  return parts;
}

function flat(doc: Doc): string | null {
  if (typeof doc === "string") return doc.includes("\n") ? null : doc;
  switch (doc.t) {
    case "concat": {
      let s = "";
      for (const p of doc.parts) {
        const f = flat(p);
        if (f === null) return null;
        s += f;
      }
      return s;
    }
    case "list": {
      const parts = flatItems(doc.items);
      return parts === null ? null : doc.flatOpen + parts.join(`${doc.sep} `) + doc.flatClose;
    }
    case "union": {
      const parts = flatItems(doc.items);
      if (parts === null) return null;
      return parts.join(" | ");
    }
    case "assign": {
      const v = flat(doc.value);
      return v === null ? null : `${doc.label} ${v}${doc.end}`;
    }
  }
}

function commentLines(comment: string, indent: string): string {
  const text = comment.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n").trimEnd();
  const lines = text.split("\n").map((l) => l.trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0] ?? ""} */\n`;
  const body = lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)).join("\n");
  return `${indent}/**\n${body}\n${indent} */\n`;
}

function lastLineLength(s: string): number {
  const i = s.lastIndexOf("\n");
  return i === -1 ? s.length : s.length - i - 1;
}

/** Renders `doc` starting at column `col` on a line indented by `indent` spaces. */
function render(doc: Doc, indent: number, col: number): string {
  const f = flat(doc);
  if (f !== null && col + f.length <= WIDTH) return f;
  const pad = " ".repeat(indent);
  const inner = " ".repeat(indent + 2);
  if (typeof doc === "string") return doc;
  switch (doc.t) {
    case "concat": {
      let s = "";
      for (const p of doc.parts) {
        s += render(p, indent, lastLineLength(s) + (s.includes("\n") ? 0 : col));
      }
      return s;
    }
    case "list": {
      let s = `${doc.open}\n`;
      for (const it of doc.items) {
        if (it.comment !== undefined) s += commentLines(it.comment, inner);
        const sep = doc.trailing || it !== doc.items.at(-1) ? doc.sep : "";
        s += `${inner}${render(it.doc, indent + 2, indent + 2)}${sep}\n`;
      }
      return `${s}${pad}${doc.close}`;
    }
    case "union": {
      // Rendered starting at the current position: `| A` then `\n<indent>| B` …
      const lines: string[] = [];
      for (const it of doc.items) {
        const c = it.comment !== undefined ? commentLines(it.comment, pad).trimStart() + pad : "";
        lines.push(`${c}| ${render(it.doc, indent + 2, indent + 2)}`);
      }
      return lines.join(`\n${pad}`);
    }
    case "assign": {
      // Fits on the label's line; else a union or an atom moves to the next line; lists hug the label.
      const v = flat(doc.value);
      if (v !== null && col + doc.label.length + 1 + v.length + doc.end.length <= WIDTH) {
        return `${doc.label} ${v}${doc.end}`;
      }
      if (isUnion(doc.value)) return `${doc.label}\n${inner}${render(doc.value, indent + 2, indent + 2)}${doc.end}`;
      if (typeof doc.value === "string") return `${doc.label}\n${inner}${doc.value}${doc.end}`;
      return `${doc.label} ${render(doc.value, indent, col + doc.label.length + 1)}${doc.end}`;
    }
  }
}

function isUnion(doc: Doc): boolean {
  return typeof doc !== "string" && doc.t === "union";
}

// ---------------------------------------------------------------------------------------------
// Nodes → TypeScript types
// ---------------------------------------------------------------------------------------------

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function key(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

function propComment(p: Prop): string | undefined {
  const parts: string[] = [];
  if (p.description !== undefined && p.description.trim() !== "") parts.push(p.description.trim());
  if (p.defaultValue !== undefined) parts.push(`@defaultValue \`${JSON.stringify(p.defaultValue)}\``);
  return parts.length === 0 ? undefined : parts.join("\n\n");
}

function docComment(description: string | undefined): string | undefined {
  return description === undefined || description.trim() === "" ? undefined : description.trim();
}

/** Union members, flattened (a union of unions is one union). */
function tsUnionItems(nodes: readonly Node[]): Item[] {
  const items: Item[] = [];
  for (const n of nodes) {
    if (n.k === "union") items.push(...tsUnionItems(n.options));
    else if (n.k === "nullable") items.push(...tsUnionItems([n.inner, { k: "null" }]));
    else if (n.k === "discriminated") items.push(...tsUnionItems(n.groups.flatMap((g) => g.objects)));
    else if (n.k === "literal" && n.values.length > 1) {
      items.push(...n.values.map((v) => ({ doc: JSON.stringify(v) })));
    } else {
      const comment = n.k === "object" || n.k === "literal" ? docComment(n.description) : undefined;
      items.push({ doc: tsDoc(n), comment });
    }
  }
  // Drop duplicate plain members (e.g. `null` twice).
  const seen = new Set<string>();
  return items.filter((it) => {
    if (typeof it.doc !== "string") return true;
    if (seen.has(it.doc)) return false;
    seen.add(it.doc);
    return true;
  });
}

function tsObjectItems(node: ObjectNode): Item[] {
  const items: Item[] = node.props.map((p) => ({
    doc: { t: "assign", label: `${key(p.name)}${p.required ? "" : "?"}:`, value: tsDoc(p.node), end: "" },
    comment: propComment(p),
  }));
  if (node.additional === "any") items.push({ doc: "[key: string]: unknown" });
  else if (node.additional !== "none") {
    items.push({ doc: concat("[key: string]: ", tsDoc(node.additional)) });
  }
  return items;
}

function tsDoc(node: Node): Doc {
  switch (node.k) {
    case "unknown":
      return "unknown";
    case "never":
      return "never";
    case "null":
      return "null";
    case "string":
      return "string";
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "literal":
      return node.values.length === 1 ? JSON.stringify(node.values[0]) : { t: "union", items: tsUnionItems([node]) };
    case "array": {
      const inner = tsDoc(node.items);
      return typeof inner === "string" && IDENT.test(inner) ? `${inner}[]` : list("Array<", ">", [{ doc: inner }]);
    }
    case "record":
      return list("{", "}", [{ doc: concat("[key: string]: ", tsDoc(node.value)) }], { flatPad: true, sep: ";" });
    case "object": {
      // `{}` would mean "anything but null" in TypeScript; an object with no known keys is a map.
      const items = tsObjectItems(node);
      const members = items.length > 0 ? items : [{ doc: "[key: string]: unknown" }];
      return list("{", "}", members, { flatPad: true, sep: ";" });
    }
    case "ref":
      return node.name;
    case "union":
    case "nullable":
    case "discriminated": {
      const items = tsUnionItems([node]);
      return items.length === 1 && items[0] !== undefined ? items[0].doc : { t: "union", items };
    }
    case "intersection": {
      const parts: Doc[] = [];
      node.parts.forEach((p, i) => {
        if (i > 0) parts.push(" & ");
        const d = tsDoc(p);
        parts.push(isUnion(d) ? concat("(", d, ")") : d);
      });
      return concat(...parts);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Nodes → zod 4
// ---------------------------------------------------------------------------------------------

interface ZodContext {
  /** Definitions whose `XSchema` const is already initialized where this code runs. */
  readonly ready: ReadonlySet<string>;
}

function zodRef(name: string, ctx: ZodContext): string {
  return ctx.ready.has(name) ? `${name}Schema` : `z.lazy(() => ${name}Schema)`;
}

function zodObject(node: ObjectNode, ctx: ZodContext): Doc {
  const items: Item[] = node.props.map((p) => ({
    doc: {
      t: "assign",
      label: `${key(p.name)}:`,
      value: p.required ? zodDoc(p.node, ctx) : optional(zodDoc(p.node, ctx)),
      end: "",
    },
  }));
  const obj = list("z.looseObject({", "})", items, { flatPad: true });
  if (typeof node.additional === "object") return concat(obj, ".catchall(", zodDoc(node.additional, ctx), ")");
  return obj;
}

function optional(doc: Doc): Doc {
  return concat(doc, ".optional()");
}

function zodLiteral(v: Literal): string {
  return `z.literal(${JSON.stringify(v)})`;
}

function zodDoc(node: Node, ctx: ZodContext): Doc {
  switch (node.k) {
    case "unknown":
      return "z.unknown()";
    case "never":
      return "z.never()";
    case "null":
      return "z.null()";
    case "string":
      return node.minLength !== undefined ? `z.string().min(${node.minLength})` : "z.string()";
    case "number": {
      const base = node.integer ? "z.int()" : "z.number()";
      return node.minimum !== undefined ? `${base}.min(${node.minimum})` : base;
    }
    case "boolean":
      return "z.boolean()";
    case "literal": {
      if (node.values.length === 1) return zodLiteral(node.values[0] ?? null);
      if (node.values.every((v) => typeof v === "string")) {
        return list("z.enum([", "])", node.values.map((v) => ({ doc: JSON.stringify(v) })));
      }
      return list("z.union([", "])", node.values.map((v) => ({ doc: zodLiteral(v) })));
    }
    case "array":
      return list("z.array(", ")", [{ doc: zodDoc(node.items, ctx) }]);
    case "record":
      return list("z.record(", ")", [{ doc: "z.string()" }, { doc: zodDoc(node.value, ctx) }]);
    case "object":
      return zodObject(node, ctx);
    case "ref":
      return zodRef(node.name, ctx);
    case "union": {
      // A union of string literals (oneOf of one-value enums, each with its own description) is
      // one z.enum: a Set lookup instead of trying each alternative.
      const literals = node.options.flatMap((o): readonly (Literal | undefined)[] =>
        o.k === "literal" ? o.values : [undefined],
      );
      if (literals.every((v): v is string => typeof v === "string") && new Set(literals).size === literals.length) {
        return zodDoc({ k: "literal", values: literals }, ctx);
      }
      return list(
        "z.union([",
        "])",
        node.options.map((o) => ({ doc: zodDoc(o, ctx) })),
      );
    }
    case "nullable":
      return concat(zodDoc(node.inner, ctx), ".nullable()");
    case "intersection": {
      const [first, ...rest] = node.parts;
      if (first === undefined) return "z.unknown()";
      return rest.reduce<Doc>(
        (acc, p) => list("z.intersection(", ")", [{ doc: acc }, { doc: zodDoc(p, ctx) }]),
        zodDoc(first, ctx),
      );
    }
    case "discriminated": {
      const options: Item[] = node.groups.map((g) => {
        const [only, ...more] = g.objects;
        if (only !== undefined && more.length === 0) return { doc: zodObject(only, ctx) };
        // An alternative that is itself a union of objects: a discriminated union needs to see its
        // tag up front, so a one-key object carries the tag and pipes into the plain union.
        const tag = list("z.looseObject({", "})", [{ doc: `${key(node.key)}: ${zodLiteral(g.value)}` }], {
          flatPad: true,
        });
        return {
          doc: concat(
            tag,
            ".pipe(",
            list(
              "z.union([",
              "])",
              g.objects.map((o) => ({ doc: zodObject(o, ctx) })),
            ),
            ")",
          ),
        };
      });
      return list(`z.discriminatedUnion(${JSON.stringify(node.key)}, [`, "])", options);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

/** The client requests whose result type does not follow `XParams` → `XResponse`. */
const CLIENT_RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "account/gatewayOAuth/cancel": "GatewayOAuthCancelResponse",
  "account/logout": "LogoutAccountResponse",
  "account/securitySetup/read": "GetAccountSecuritySetupResponse",
  "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  "config/value/write": "ConfigWriteResponse",
  "configRequirements/read": "ConfigRequirementsReadResponse",
  "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
};

export interface GenerateOptions {
  /** The binary to ask; default {@link resolveCodexBinary}. */
  readonly codexPath?: string;
  /** Receives warnings (unresolved result types); default `console.warn`. */
  readonly warn?: (message: string) => void;
}

export interface SchemaBundle {
  readonly definitions: Readonly<Record<string, Json>>;
}

function headerFor(cliVersion: string): string {
  return `// GENERATED by npm run generate from ${cliVersion} — do not edit\n`;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Flattens `definitions` and `definitions.v2` into one namespace. */
function flattenDefinitions(bundle: JsonObject): Map<string, Json> {
  const defs = bundle["definitions"];
  if (!isObject(defs)) throw new Error("schema bundle has no definitions");
  const out = new Map<string, Json>();
  const v2 = defs["v2"];
  for (const [name, s] of Object.entries(defs)) if (name !== "v2") out.set(name, s);
  if (isObject(v2)) {
    for (const [name, s] of Object.entries(v2)) {
      // Only RequestId / AbsolutePathBuf appear in both, with the same meaning; v1's copy wins.
      if (!out.has(name)) out.set(name, s);
    }
  }
  return out;
}

/** Dependency (post-)order: a definition comes after everything it refers to, cycles aside. */
function emissionOrder(nodes: ReadonlyMap<string, Node>): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string): void => {
    if (state.has(name)) return;
    state.set(name, "visiting");
    const node = nodes.get(name);
    if (node === undefined) throw new Error(`Unknown definition ${name}`);
    for (const dep of [...refsOf(node, new Set())].sort(byName)) visit(dep);
    state.set(name, "done");
    order.push(name);
  };
  for (const name of [...nodes.keys()].sort(byName)) visit(name);
  return order;
}

/**
 * Emitted once at the top of schemas.ts. `const XSchema: z.ZodType<X> = <zod expression>` makes tsc
 * compare the whole zod class type with `ZodType<X>` (≈ 25–50 s and 1.6 GB for this protocol);
 * comparing only the parsed output with `X` keeps the tie (a schema whose output is not an `X`
 * fails to compile) at ≈ 4 s and 0.2 GB.
 */
const TYPED_HELPER = `/**
 * Ties a schema to its declared type: compiles only when the schema's parsed output is assignable
 * to \`T\`. Comparing the output alone keeps tsc fast; the result is typed \`z.ZodType<T>\`.
 * The schema is built on first use (\`z.lazy\`): a client touches a few dozen of these
 * definitions, and building all of them at import cost ≈ 100 ms and ≈ 15 MiB.
 */
function typed<T>(): <S extends { readonly _zod: { readonly output: T } }>(build: () => S) => z.ZodType<T> {
  return (build) => z.lazy(() => build() as unknown as z.ZodType) as unknown as z.ZodType<T>;
}
`;

function renderSchemasFile(nodes: ReadonlyMap<string, Node>, cliVersion: string): string {
  let out = headerFor(cliVersion);
  out += "//\n// One `export type X` and one `export const XSchema: z.ZodType<X>` per definition of the pinned\n";
  out += "// protocol, in dependency order. Objects are loose (unknown keys are kept); defaults are not\n";
  out += "// applied. See scripts/generate-protocol.ts for the rules.\n\n";
  out += 'import { z } from "zod";\n\n';
  out += TYPED_HELPER;
  const ready = new Set<string>();
  for (const name of emissionOrder(nodes)) {
    const node = nodes.get(name);
    if (node === undefined) continue;
    const comment = docComment(node.description);
    out += "\n";
    if (comment !== undefined) out += commentLines(comment, "");
    if (node.k === "object" && (node.props.length > 0 || node.additional !== "none")) {
      out += `export interface ${name} ${render(tsDoc(node), 0, `export interface ${name} `.length)}\n`;
    } else {
      out += `${render({ t: "assign", label: `export type ${name} =`, value: tsDoc(node), end: ";" }, 0, 0)}\n`;
    }
    const zod = concat(`typed<${name}>()(() => `, zodDoc(node, { ready: new Set([...ready]) }), ")");
    const label = `export const ${name}Schema: z.ZodType<${name}> =`;
    out += `${render({ t: "assign", label, value: zod, end: ";" }, 0, 0)}\n`;
    ready.add(name);
  }
  return out;
}

interface MethodEntry {
  readonly method: string;
  readonly params: Node | undefined;
}

function methodEntries(defs: ReadonlyMap<string, Json>, union: string): MethodEntry[] {
  const schema = defs.get(union);
  if (!isObject(schema)) throw new Error(`schema has no ${union}`);
  const entries = arr(schema["oneOf"]).map((alt): MethodEntry => {
    if (!isObject(alt) || !isObject(alt["properties"])) throw new Error(`${union}: unexpected alternative`);
    const props = alt["properties"];
    const m = props["method"];
    const method = isObject(m) ? str(arr(m["enum"])[0]) : undefined;
    if (method === undefined) throw new Error(`${union}: alternative without a method literal`);
    const params = props["params"];
    return { method, params: params === undefined ? undefined : toNode(params) };
  });
  return entries.sort((a, b) => byName(a.method, b.method));
}

/** `X`, `X | null`, `null`: the params node, widened to allow omission where null is allowed. */
function paramsType(p: MethodEntry, imports: Set<string>, ready: ZodContext): { ts: Doc; zod: Doc } {
  const node = p.params;
  if (node === undefined) return { ts: "undefined", zod: "z.undefined()" };
  for (const r of refsOf(node, new Set())) imports.add(r);
  if (node.k === "null") return { ts: "null | undefined", zod: "z.null().optional()" };
  if (node.k === "nullable") {
    return {
      ts: concat(tsDoc(node.inner), " | null | undefined"),
      zod: concat(zodDoc(node.inner, ready), ".nullish()"),
    };
  }
  return { ts: tsDoc(node), zod: zodDoc(node, ready) };
}

interface MethodRow {
  readonly method: string;
  readonly ts: Doc;
  readonly zod: Doc;
}

function methodItems(rows: readonly MethodRow[], pick: (row: MethodRow) => Doc): Item[] {
  return rows.map((row) => ({ doc: { t: "assign", label: `${JSON.stringify(row.method)}:`, value: pick(row), end: "" } }));
}

/** `export const <name> = { method: schema, … } as const satisfies …` and `export interface <mapName>`. */
function registryPair(
  name: string,
  mapName: string,
  rows: readonly MethodRow[],
  what: string,
  kind: "params" | "result",
  note?: string,
): string {
  const schemas = render(list("{", "}", methodItems(rows, (r) => r.zod), { flatPad: true }), 0, 0);
  const types = render(list("{", "}", methodItems(rows, (r) => r.ts), { flatPad: true, sep: ";" }), 0, 0);
  const more = note === undefined ? "" : `\n\n${note}`;
  const count = `${rows.length} method${rows.length === 1 ? "" : "s"}`;
  let out = commentLines(`${what}: method → ${kind} schema (${count}).${more}`, "");
  out += `export const ${name} = ${schemas} as const satisfies {\n`;
  out += `  readonly [M in keyof ${mapName}]: z.ZodType<${mapName}[M]>;\n};\n\n`;
  out += commentLines(`${what}: method → ${kind} type.${more}`, "");
  out += `export interface ${mapName} ${types}\n`;
  return out;
}

function methodAlias(alias: string, mapName: string, what: string): string {
  return `/** Every ${what} method of the pinned protocol. */\nexport type ${alias} = keyof ${mapName};\n`;
}

function renderMethodsFile(
  defs: ReadonlyMap<string, Json>,
  cliVersion: string,
  version: string,
  warn: (message: string) => void,
): string {
  const imports = new Set<string>();
  const nodeNames = new Set(defs.keys());
  // Every schema is initialized by the time methods.ts runs: no reference needs z.lazy here.
  const ready: ZodContext = { ready: nodeNames };
  const paramsOf = (union: string): (MethodRow & { readonly entry: MethodEntry })[] =>
    methodEntries(defs, union).map((entry) => ({ method: entry.method, ...paramsType(entry, imports, ready), entry }));

  // Results: `XParams` → `XResponse` when that definition exists, else the override table.
  const unresolved: string[] = [];
  const resultOf = (e: MethodEntry, overrides: Readonly<Record<string, string>>): MethodRow => {
    let name = overrides[e.method];
    if (name === undefined && e.params !== undefined) {
      const p = e.params.k === "nullable" ? e.params.inner : e.params;
      if (p.k === "ref" && p.name.endsWith("Params")) name = `${p.name.slice(0, -"Params".length)}Response`;
    }
    if (name === undefined || !nodeNames.has(name)) {
      unresolved.push(e.method);
      return { method: e.method, ts: "unknown", zod: "z.unknown()" };
    }
    imports.add(name);
    return { method: e.method, ts: name, zod: `${name}Schema` };
  };

  const notifications = paramsOf("ServerNotification");
  const serverRequests = paramsOf("ServerRequest");
  const serverResults = serverRequests.map((r) => resultOf(r.entry, {}));
  const clientRequests = paramsOf("ClientRequest");
  const clientResults = clientRequests.map((r) => resultOf(r.entry, CLIENT_RESULT_OVERRIDES));
  const clientNotifications = paramsOf("ClientNotification");
  if (unresolved.length > 0) {
    warn(`generate-protocol: no result type found for ${unresolved.join(", ")}; typed as unknown`);
  }

  const sections = [
    registryPair(
      "serverNotificationSchemas",
      "ServerNotificationParamsMap",
      notifications,
      "Server → client notifications",
      "params",
    ),
    methodAlias("ServerNotificationMethod", "ServerNotificationParamsMap", "notification"),
    registryPair("serverRequestSchemas", "ServerRequestParamsMap", serverRequests, "Server → client requests", "params"),
    registryPair(
      "serverRequestResultSchemas",
      "ServerRequestResultMap",
      serverResults,
      "Server → client requests",
      "result",
      "The result is what the client answers the request with.",
    ),
    methodAlias("ServerRequestMethod", "ServerRequestParamsMap", "server → client request"),
    registryPair(
      "clientRequestParamsSchemas",
      "ClientRequestParamsMap",
      clientRequests,
      "Client → server requests",
      "params",
      "Params the schema types as `null` (or `X | null`) may also be omitted (`undefined`): the server\n" +
        "reads them as an optional value.",
    ),
    registryPair(
      "clientRequestResultSchemas",
      "ClientRequestResultMap",
      clientResults,
      "Client → server requests",
      "result",
      "Derived by name (`XParams` → `XResponse`) plus the generator's override table.",
    ),
    methodAlias("ClientRequestMethod", "ClientRequestParamsMap", "client → server request"),
    registryPair(
      "clientNotificationSchemas",
      "ClientNotificationParamsMap",
      clientNotifications,
      "Client → server notifications",
      "params",
      "`undefined`: sent without params.",
    ),
    methodAlias("ClientNotificationMethod", "ClientNotificationParamsMap", "client → server notification"),
  ];

  const names = [...imports].sort(byName);
  const importItems: Item[] = names.flatMap((n) => [{ doc: `type ${n}` }, { doc: `${n}Schema` }]);
  let out = headerFor(cliVersion);
  out += "//\n// Method registries of the pinned protocol, derived from its ClientRequest, ServerRequest,\n";
  out += "// ServerNotification and ClientNotification unions. Keys are sorted.\n\n";
  out += 'import { z } from "zod";\n';
  out += `import ${render(list("{", "}", importItems, { flatPad: true }), 0, 7)} from "./schemas.js";\n\n`;
  out += "/** The codex-cli version whose protocol these files describe. */\n";
  out += `export const PROTOCOL_VERSION = ${JSON.stringify(version)};\n\n`;
  out += sections.join("\n");
  return out;
}

function renderIndexFile(cliVersion: string): string {
  return `${headerFor(cliVersion)}\nexport * from "./schemas.js";\nexport * from "./methods.js";\n`;
}

/**
 * Renders the generated files from an already read schema bundle (pure; no I/O).
 *
 * @param bundle the parsed `codex_app_server_protocol.schemas.json`
 * @param cliVersion the output of `codex --version`, e.g. `codex-cli 0.169.0`
 * @returns file name (relative to `src/protocol/generated/`) → content
 */
export function renderProtocol(
  bundle: unknown,
  cliVersion: string,
  warn: (message: string) => void = (m) => console.warn(m),
): Record<string, string> {
  if (!isObject(bundle)) throw new Error("schema bundle is not an object");
  const defs = flattenDefinitions(bundle);
  const nodes = new Map<string, Node>();
  for (const name of [...defs.keys()].sort(byName)) {
    if (!IDENT.test(name)) throw new Error(`Definition name ${name} is not an identifier`);
    nodes.set(name, toNode(defs.get(name) ?? true));
  }
  const m = /(\d+\.\d+\.\d+[^\s]*)/.exec(cliVersion);
  if (m === null || m[1] === undefined) throw new Error(`Cannot read a version from "${cliVersion}"`);
  return {
    "index.ts": renderIndexFile(cliVersion),
    "methods.ts": renderMethodsFile(defs, cliVersion, m[1], warn),
    "schemas.ts": renderSchemasFile(nodes, cliVersion),
  };
}

/**
 * Asks the pinned binary for its protocol and renders `src/protocol/generated/`.
 *
 * @returns file name (relative to `src/protocol/generated/`) → content
 * @throws Error when the binary cannot be found or run
 */
export async function generateProtocol(opts: GenerateOptions = {}): Promise<Record<string, string>> {
  const codex = opts.codexPath ?? resolveCodexBinary();
  const { stdout: versionOut } = await execFileAsync(codex, ["--version"]);
  const dir = await mkdtemp(path.join(tmpdir(), "codex-rx-schema-"));
  try {
    await execFileAsync(codex, ["app-server", "generate-json-schema", "--out", dir]);
    const file = path.join(dir, "codex_app_server_protocol.schemas.json");
    const bundle: unknown = JSON.parse(await readFile(file, "utf8"));
    return renderProtocol(bundle, versionOut.trim(), opts.warn);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where the generated files live. */
export const GENERATED_DIR = fileURLToPath(new URL("../src/protocol/generated/", import.meta.url));

async function main(): Promise<void> {
  const files = await generateProtocol();
  await mkdir(GENERATED_DIR, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(GENERATED_DIR, name), content);
    const where = path.relative(process.cwd(), path.join(GENERATED_DIR, name));
    console.log(`wrote ${where} (${content.split("\n").length} lines)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
