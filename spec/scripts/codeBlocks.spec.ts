import { codeBlocksUnder, firstCodeBlock } from "../../scripts/consumer/codeBlocks.js";

const doc = [
  "# Title",
  "",
  "```ts",
  "before();",
  "```",
  "",
  "## Quick start",
  "",
  "Some text.",
  "",
  "```sh",
  "npm install codex-rx",
  "```",
  "",
  "```typescript title=\"quick.ts\"",
  "# not a heading",
  "const a = 1;",
  "~~~",
  "```",
  "",
  "### A subsection",
  "",
  "````ts",
  "nested();",
  "```",
  "````",
  "",
  "## Next",
  "",
  "```ts",
  "after();",
  "```",
].join("\r\n");

describe("codeBlocksUnder", () => {
  it("returns the blocks of the section and its subsections, in order, with their languages", () => {
    expect(codeBlocksUnder(doc, "## Quick start")).toEqual([
      { lang: "sh", code: "npm install codex-rx\n" },
      { lang: "typescript", code: "# not a heading\nconst a = 1;\n~~~\n" },
      { lang: "ts", code: "nested();\n```\n" },
    ]);
  });

  it("stops at the next heading of the same level", () => {
    expect(codeBlocksUnder(doc, "## Next")).toEqual([{ lang: "ts", code: "after();\n" }]);
  });

  it("matches the heading's level, not only its text", () => {
    expect(() => codeBlocksUnder(doc, "### Quick start")).toThrow('no heading "### Quick start"');
  });

  it("refuses a heading argument that is not a heading", () => {
    expect(() => codeBlocksUnder(doc, "Quick start")).toThrow("not a Markdown heading");
  });
});

describe("firstCodeBlock", () => {
  it("returns the first block of the language, typescript counting as ts", () => {
    expect(firstCodeBlock(doc, "## Quick start", "ts")).toBe("# not a heading\nconst a = 1;\n~~~\n");
  });

  it("throws when the section has no block of that language", () => {
    expect(() => firstCodeBlock(doc, "## Next", "json")).toThrow('no ```json block under "## Next"');
  });
});
