import { type Json, type Node, type Prop, refsOf } from "./nodes.js";
import { methodEntries, type MethodEntry } from "./methodsFile.js";
import { byName } from "./schemasFile.js";

// What the experimental surface (`generate-json-schema --experimental`) adds to the stable one.

/**
 * The unions of every message: the method registries stand for them, and each refers to nearly
 * every definition, so re-declaring them would pull the whole stable surface into the
 * experimental file's imports.
 */
const MESSAGE_UNIONS: ReadonlySet<string> = new Set(["ClientNotification", "ClientRequest", "ServerNotification", "ServerRequest"]);

export interface SurfaceDiff {
  /** Definitions only the experimental surface has. */
  readonly added: ReadonlySet<string>;
  /** Definitions of both surfaces whose schema differs (fields added). */
  readonly changed: ReadonlySet<string>;
  /**
   * Every definition the experimental file declares itself: the added and changed ones, and every
   * definition that refers (at any depth) to one of those, so that its type reaches the
   * experimental fields. Every other definition is the stable one, imported.
   */
  readonly local: ReadonlySet<string>;
  /** Client request methods only the experimental surface has, sorted. */
  readonly methods: readonly string[];
  /** Stable client methods → the dotted paths of the params fields only the experimental surface has. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/**
 * Compares the two surfaces, definition by definition (the raw JSON Schema, so a changed
 * description counts as a change too) and method by method.
 *
 * @param stableDefs the stable surface's flattened definitions
 * @param experimentalDefs the experimental surface's
 * @param stableNodes / experimentalNodes the same, as nodes
 */
export function diffSurfaces(
  stableDefs: ReadonlyMap<string, Json>,
  experimentalDefs: ReadonlyMap<string, Json>,
  stableNodes: ReadonlyMap<string, Node>,
  experimentalNodes: ReadonlyMap<string, Node>,
): SurfaceDiff {
  const added = new Set<string>();
  const changed = new Set<string>();
  for (const [name, schema] of experimentalDefs) {
    if (MESSAGE_UNIONS.has(name)) continue;
    const stable = stableDefs.get(name);
    if (stable === undefined) added.add(name);
    else if (JSON.stringify(stable) !== JSON.stringify(schema)) changed.add(name);
  }
  const local = new Set([...added, ...changed]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [name, node] of experimentalNodes) {
      if (local.has(name) || MESSAGE_UNIONS.has(name)) continue;
      if ([...refsOf(node, new Set())].some((r) => local.has(r))) {
        local.add(name);
        grew = true;
      }
    }
  }
  const stableMethods = new Map(methodEntries(stableDefs, "ClientRequest").map((e) => [e.method, e]));
  const methods: string[] = [];
  const fields: Record<string, readonly string[]> = {};
  for (const e of methodEntries(experimentalDefs, "ClientRequest")) {
    const s = stableMethods.get(e.method);
    if (s === undefined) {
      methods.push(e.method);
      continue;
    }
    const paths = fieldPaths(s, e, stableNodes, experimentalNodes);
    if (paths.length > 0) fields[e.method] = paths;
  }
  return { added, changed, local, methods: methods.sort(byName), fields };
}

/** The params fields of one method that only the experimental surface has, as dotted paths (arrays skipped). */
function fieldPaths(s: MethodEntry, e: MethodEntry, stableNodes: ReadonlyMap<string, Node>, experimentalNodes: ReadonlyMap<string, Node>): string[] {
  const out: string[] = [];
  const walk = (a: Node | undefined, b: Node | undefined, prefix: readonly string[], seen: ReadonlySet<string>): void => {
    if (a === undefined || b === undefined) return;
    if (a.k === "ref" && b.k === "ref" && a.name === b.name) {
      if (seen.has(a.name)) return;
      walk(stableNodes.get(a.name), experimentalNodes.get(b.name), prefix, new Set([...seen, a.name]));
    } else if (a.k === "nullable" && b.k === "nullable") walk(a.inner, b.inner, prefix, seen);
    else if (a.k === "array" && b.k === "array") walk(a.items, b.items, prefix, seen);
    else if (a.k === "object" && b.k === "object") {
      const known = new Map(a.props.map((p): [string, Prop] => [p.name, p]));
      for (const p of b.props) {
        const before = known.get(p.name);
        if (before === undefined) out.push([...prefix, p.name].join("."));
        else walk(before.node, p.node, [...prefix, p.name], seen);
      }
    }
  };
  walk(s.params, e.params, [], new Set());
  return out.sort(byName);
}

/**
 * The experimental node of a changed definition with `@experimental` on each field the stable one
 * does not have (a top-level object's fields; other shapes are left as they are).
 */
export function tagExperimentalFields(stable: Node | undefined, experimental: Node): Node {
  if (stable?.k !== "object" || experimental.k !== "object") return experimental;
  const known = new Set(stable.props.map((p) => p.name));
  return {
    ...experimental,
    props: experimental.props.map((p) => (known.has(p.name) ? p : { ...p, description: withTag(p.description) })),
  };
}

/** A description with the `@experimental` tag appended. */
export function withTag(description: string | undefined): string {
  const text = description?.trim() ?? "";
  return text === "" ? "@experimental" : `${text}\n\n@experimental`;
}
