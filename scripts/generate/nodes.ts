// JSON Schema → normalized nodes: the generator's own model of a definition.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };
export type Literal = string | number | boolean | null;

export interface Prop {
  readonly name: string;
  readonly node: Node;
  readonly required: boolean;
  readonly description: string | undefined;
  readonly defaultValue: Json | undefined;
}

export interface ObjectNode {
  readonly k: "object";
  readonly props: readonly Prop[];
  /** "none": only the listed keys are typed; "any": an explicit `[key: string]: unknown`. */
  readonly additional: "none" | "any" | Node;
  readonly description?: string | undefined;
}

export type Node =
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

export const STRUCTURAL = ["type", "properties", "additionalProperties", "items", "enum", "$ref", "anyOf", "oneOf", "allOf"];

export function isObject(x: unknown): x is JsonObject {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

export function str(x: Json | undefined): string | undefined {
  return typeof x === "string" ? x : undefined;
}

export function num(x: Json | undefined): number | undefined {
  return typeof x === "number" ? x : undefined;
}

export function arr(x: Json | undefined): Json[] {
  return Array.isArray(x) ? x : [];
}

export function refName(ref: string): string {
  const m = /^#\/definitions\/(?:v2\/)?([^/]+)$/.exec(ref);
  if (m === null || m[1] === undefined) throw new Error(`Unsupported $ref ${ref}`);
  return m[1];
}

export function withDescription(node: Node, description: string | undefined): Node {
  return description === undefined ? node : { ...node, description };
}

export function isNullSchema(s: Json): boolean {
  return (
    isObject(s) && s["type"] === "null" && Object.keys(s).every((k) => ["type", "description", "title"].includes(k))
  );
}

/** Converts one JSON Schema to a node; `description` is attached to the node for the caller. */
export function toNode(schema: Json): Node {
  if (schema === true) return { k: "unknown" };
  if (schema === false) return { k: "never" };
  if (!isObject(schema)) throw new Error(`Unsupported schema ${JSON.stringify(schema)}`);
  const description = str(schema["description"]);
  return withDescription(toNodeBare(schema), description);
}

export function toNodeBare(schema: JsonObject): Node {
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

export function typedNode(schema: JsonObject, type: string): Node {
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

export function objectNode(schema: JsonObject): Node {
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
export function expandObjects(schema: Json): ObjectNode[] | null {
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

export function mergeObjects(base: ObjectNode, extra: ObjectNode): ObjectNode {
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

export function alternativesNode(schema: JsonObject, alternatives: Json[]): Node {
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

export function literalOf(o: ObjectNode, key: string): string | undefined {
  const p = o.props.find((x) => x.name === key);
  if (p === undefined || !p.required || p.node.k !== "literal" || p.node.values.length !== 1) return undefined;
  const v = p.node.values[0];
  return typeof v === "string" ? v : undefined;
}

export function discriminate(groups: Node[][]): Node | null {
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

export function rank(key: string): number {
  return key === "type" ? 0 : key === "method" ? 1 : 2;
}

export function refsOf(node: Node, out: Set<string>): Set<string> {
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
