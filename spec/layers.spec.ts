// The layering rule of docs/architecture.md, checked on the source: each folder of src/ imports
// only the folders below it, and the errors leaf imports nothing of ours but the generated
// protocol's types (erased at run time).
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const SRC = join(process.cwd(), "src");
const ORDER = ["errors", "streams", "protocol", "transport", "rpc", "routing", "client", "testing"] as const;
type Layer = (typeof ORDER)[number];

function isLayer(name: string): name is Layer {
  return (ORDER as readonly string[]).includes(name);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : [],
  );
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly typeOnly: boolean;
}

/** Every relative import or re-export of every hand-written file under src/<layer>/. */
function edges(): Edge[] {
  const out: Edge[] = [];
  const statement = /(?:^|\n)\s*(import|export)(\s+type)?\s[^;]*?from\s*"(\.[^"]+)"/g;
  for (const file of filesUnder(SRC)) {
    if (file.includes(`${join("protocol", "generated")}`)) continue;
    const text = readFileSync(file, "utf8");
    for (const m of text.matchAll(statement)) {
      const target = normalize(join(dirname(file), m[3] ?? ""));
      out.push({ from: relative(SRC, file), to: relative(SRC, target), typeOnly: m[2] !== undefined });
    }
  }
  return out;
}

function layerOf(path: string): Layer | "top" {
  const first = path.split(/[\\/]/)[0] ?? "";
  return isLayer(first) ? first : "top";
}

describe("layers", () => {
  const all = edges();

  it("finds the imports it checks", () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((e) => e.from.startsWith("client") && e.to.startsWith("errors"))).toBe(true);
  });

  it("each layer imports only the layers below it (or itself)", () => {
    const upward = all
      .filter((e) => layerOf(e.from) !== "top")
      .filter((e) => !(layerOf(e.from) === "errors" && e.typeOnly && e.to.startsWith(join("protocol", "generated"))))
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        return from !== "top" && (to === "top" || ORDER.indexOf(to) > ORDER.indexOf(from));
      })
      .map((e) => `${e.from} -> ${e.to}`);
    expect(upward).toEqual([]);
  });

  it("the errors leaf imports nothing of ours but its own files and the generated protocol's types", () => {
    const outside = all
      .filter((e) => layerOf(e.from) === "errors" && layerOf(e.to) !== "errors")
      .filter((e) => !(e.typeOnly && e.to.startsWith(join("protocol", "generated"))))
      .map((e) => `${e.from} -> ${e.to}${e.typeOnly ? " (type)" : ""}`);
    expect(outside).toEqual([]);
  });

  it("every CodexError subclass is declared in the errors leaf (the kit's own may live in testing)", () => {
    const elsewhere = filesUnder(SRC)
      .filter((f) => !f.includes(join("protocol", "generated")))
      .filter((f) => !["errors", "testing"].includes(layerOf(relative(SRC, f))))
      .filter((f) => /\bclass \w+ extends \w*Error\b/.test(readFileSync(f, "utf8")))
      .map((f) => relative(SRC, f));
    expect(elsewhere).toEqual([]);
  });
});
