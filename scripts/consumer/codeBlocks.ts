// Reads fenced code blocks out of a Markdown document, so that npm run check:consumer compiles and
// runs the README's and docs' code exactly as a reader copies it.

/** A fenced code block: its language (the info string's first word) and its text. */
export interface CodeBlock {
  readonly lang: string;
  readonly code: string;
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

/**
 * The fenced code blocks of a section: the lines after the heading whose text is `heading`, up to
 * the next heading of the same or a higher level. Fences inside the section are honoured (a `#`
 * line inside a block is code, not a heading); CRLF line ends are accepted.
 *
 * @param markdown the document
 * @param heading the heading line, e.g. "## Quick start" (its level counts; surrounding spaces do not)
 * @returns the section's blocks in order
 * @throws {Error} when no heading of that level and text exists
 */
export function codeBlocksUnder(markdown: string, heading: string): CodeBlock[] {
  const wanted = HEADING.exec(heading.trim());
  if (wanted === null) throw new Error(`not a Markdown heading: ${JSON.stringify(heading)}`);
  const level = wanted[1].length;
  const title = wanted[2];
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let inSection = false;
  let found = false;
  let fence: { marker: string; lang: string; body: string[] } | undefined;
  for (const line of lines) {
    if (fence !== undefined) {
      const close = FENCE.exec(line);
      if (close !== null && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length && close[2] === "") {
        if (inSection) blocks.push({ lang: fence.lang, code: `${fence.body.join("\n")}\n` });
        fence = undefined;
      } else {
        fence.body.push(line);
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (open !== null) {
      fence = { marker: open[1], lang: open[2].toLowerCase(), body: [] };
      continue;
    }
    const h = HEADING.exec(line);
    if (h === null) continue;
    if (inSection && h[1].length <= level) break;
    if (h[1].length === level && h[2] === title) {
      inSection = true;
      found = true;
    }
  }
  if (!found) throw new Error(`no heading ${JSON.stringify(heading.trim())} in the document`);
  return blocks;
}

const ALIASES: Readonly<Record<string, string>> = { typescript: "ts", javascript: "js", mjs: "js", jsonc: "json" };

/**
 * The first code block of a language in a section.
 *
 * @param markdown the document
 * @param heading the section's heading line, e.g. "## Quick start"
 * @param lang the language: "ts" (also matches "typescript"), "js", "json", "sh", …
 * @returns the block's text, ending with a newline
 * @throws {Error} when the heading is missing or the section has no such block
 */
export function firstCodeBlock(markdown: string, heading: string, lang: string): string {
  const normal = (l: string): string => ALIASES[l] ?? l;
  const block = codeBlocksUnder(markdown, heading).find((b) => normal(b.lang) === normal(lang));
  if (block === undefined) throw new Error(`no \`\`\`${lang} block under ${JSON.stringify(heading.trim())}`);
  return block.code;
}
