import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { deadLinks, linkTargets } from "../../scripts/consumer/links.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

/** What `npm pack` would put in the tarball (`files` in package.json), without building: the links point at docs and samples, not dist. */
function packedFiles(): Set<string> {
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "--loglevel=error"], { cwd: REPO, encoding: "utf8" });
  const [pack] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
  return new Set(pack!.files.map((f) => f.path));
}

describe("the packed package's Markdown links", () => {
  let files: Set<string>;
  beforeAll(() => {
    files = packedFiles();
  });

  it("ships the README and the guides and samples it links to", () => {
    expect([...files]).toEqual(expect.arrayContaining(["README.md", "LICENSE", "CHANGELOG.md", "docs/README.md", "docs/getting-started.md", "samples/run.ts"]));
    expect([...files].filter((f) => /^(src|spec|scripts|docs\/api)\//.test(f))).toEqual([]);
  });

  it("every relative link of every shipped Markdown file resolves inside the package", () => {
    const docs = [...files].filter((f) => f.endsWith(".md"));
    expect(docs.length).toBeGreaterThan(3);
    const dead = docs.flatMap((doc) => deadLinks(files, doc, readFileSync(path.join(REPO, doc), "utf8")).map((target) => `${doc}: ${target}`));
    expect(dead).toEqual([]);
  });
});

describe("deadLinks", () => {
  const shipped = new Set(["README.md", "docs/faq.md", "docs/README.md", "samples/run.ts"]);

  it("resolves relative to the document, accepts directories that hold a file, ignores anchors and URLs", () => {
    const md = "[faq](docs/faq.md#hot) [dir](docs/) [run](samples/run.ts) [up](../README.md) [x](https://x.y) [a](#install) [m](mailto:a@b)";
    expect(deadLinks(shipped, "README.md", md)).toEqual(["../README.md"]);
    expect(deadLinks(shipped, "docs/README.md", "[home](../README.md) [faq](faq.md) [gone](testing.md)")).toEqual(["testing.md"]);
  });

  it("finds images and reference links, and skips code", () => {
    const md = ["![shot](docs/shot.png)", "[ref]: samples/gone.ts", "`[not](a-link.md)`", "```md", "[not](either.md)", "```"].join("\n");
    expect(linkTargets(md)).toEqual(["docs/shot.png", "samples/gone.ts"]);
    expect(deadLinks(shipped, "README.md", md)).toEqual(["docs/shot.png", "samples/gone.ts"]);
  });
});
