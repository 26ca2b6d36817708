// A small pretty printer (prettier-ish: 100 columns, 2 spaces, trailing commas when broken).

export const WIDTH = 100;

export interface Item {
  readonly doc: Doc;
  readonly comment?: string | undefined;
}

export type Doc =
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

export function concat(...parts: Doc[]): Doc {
  return { t: "concat", parts };
}

export function list(open: string, close: string, items: Item[], opts: { flatPad?: boolean; sep?: string } = {}): Doc {
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
export function flatItems(items: readonly Item[]): string[] | null {
  const parts: string[] = [];
  for (const it of items) {
    if (it.comment !== undefined) return null;
    const f = flat(it.doc);
    if (f === null) return null;
    parts.push(f);
  }
  return parts;
}

export function flat(doc: Doc): string | null {
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

export function commentLines(comment: string, indent: string): string {
  const text = comment.replace(/\*\//g, "*\\/").replace(/\r\n?/g, "\n").trimEnd();
  const lines = text.split("\n").map((l) => l.trimEnd());
  if (lines.length === 1) return `${indent}/** ${lines[0] ?? ""} */\n`;
  const body = lines.map((l) => (l === "" ? `${indent} *` : `${indent} * ${l}`)).join("\n");
  return `${indent}/**\n${body}\n${indent} */\n`;
}

export function lastLineLength(s: string): number {
  const i = s.lastIndexOf("\n");
  return i === -1 ? s.length : s.length - i - 1;
}

/** Renders `doc` starting at column `col` on a line indented by `indent` spaces. */
export function render(doc: Doc, indent: number, col: number): string {
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

export function isUnion(doc: Doc): boolean {
  return typeof doc !== "string" && doc.t === "union";
}
