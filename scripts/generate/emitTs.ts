import { type Node, type ObjectNode, type Prop } from "./nodes.js";
import { concat, type Doc, isUnion, type Item, list } from "./printer.js";

// Nodes → TypeScript types.

export const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function key(name: string): string {
  return IDENT.test(name) ? name : JSON.stringify(name);
}

export function propComment(p: Prop): string | undefined {
  const parts: string[] = [];
  if (p.description !== undefined && p.description.trim() !== "") parts.push(p.description.trim());
  if (p.defaultValue !== undefined) parts.push(`@defaultValue \`${JSON.stringify(p.defaultValue)}\``);
  return parts.length === 0 ? undefined : parts.join("\n\n");
}

export function docComment(description: string | undefined): string | undefined {
  return description === undefined || description.trim() === "" ? undefined : description.trim();
}

/** Union members, flattened (a union of unions is one union). */
export function tsUnionItems(nodes: readonly Node[]): Item[] {
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

export function tsObjectItems(node: ObjectNode): Item[] {
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

export function tsDoc(node: Node): Doc {
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
