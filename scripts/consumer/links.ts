// The links a reader can click in the package's Markdown, and which of them lead nowhere inside the
// package: npm's site and an editor open README.md from the installed package, so a relative link
// must name a file the tarball ships.
import path from "node:path";

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const INLINE_LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/;

/**
 * The link targets of a Markdown document, outside code blocks and inline code, in order.
 *
 * @param markdown the document
 * @returns every target as written (`docs/faq.md#hot`, `https://…`, `#install`)
 */
export function linkTargets(markdown: string): string[] {
  const targets: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split(/\r?\n/)) {
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      continue;
    }
    const prose = line.replace(/(`+)[\s\S]*?\1/g, "");
    const reference = REFERENCE.exec(prose);
    if (reference !== null) targets.push(reference[1]!);
    else for (const match of prose.matchAll(INLINE_LINK)) targets.push(match[1]!);
  }
  return targets;
}

/** True for a target that leaves the package: a URL with a scheme, or a bare anchor. */
const external = (target: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("#");

/**
 * The relative links of `doc` (a path inside the package, `README.md`, `docs/faq.md`) that name no
 * shipped file: a file must be in `files`, a directory (`docs/`) must hold at least one.
 *
 * @param files every path the package ships, relative to its root (`docs/faq.md`)
 * @param doc the document's own path inside the package
 * @param markdown its text
 * @returns the targets that resolve to nothing, as written
 */
export function deadLinks(files: ReadonlySet<string>, doc: string, markdown: string): string[] {
  return linkTargets(markdown)
    .filter((target) => !external(target))
    .filter((target) => {
      const bare = decodeURI(target.replace(/[#?].*$/, ""));
      if (bare === "") return false;
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(doc), bare));
      if (resolved.startsWith("..")) return true;
      const directory = resolved.replace(/\/$/, "");
      return !files.has(resolved) && ![...files].some((f) => f.startsWith(`${directory}/`));
    });
}
