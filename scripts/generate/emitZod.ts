import { key } from "./emitTs.js";
import { type Literal, type Node, type ObjectNode } from "./nodes.js";
import { concat, type Doc, type Item, list } from "./printer.js";

// Nodes → zod 4 schemas.

export interface ZodContext {
  /** Definitions whose `XSchema` const is already initialized where this code runs. */
  readonly ready: ReadonlySet<string>;
}

export function zodRef(name: string, ctx: ZodContext): string {
  return ctx.ready.has(name) ? `${name}Schema` : `z.lazy(() => ${name}Schema)`;
}

export function zodObject(node: ObjectNode, ctx: ZodContext): Doc {
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

export function optional(doc: Doc): Doc {
  return concat(doc, ".optional()");
}

export function zodLiteral(v: Literal): string {
  return `z.literal(${JSON.stringify(v)})`;
}

export function zodDoc(node: Node, ctx: ZodContext): Doc {
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
