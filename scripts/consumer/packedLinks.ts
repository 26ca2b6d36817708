// The tarball's own Markdown, read back from it: every relative link must name a file it ships.
import { deadLinks } from "./links.js";
import { failed, passed, run, type RunResult } from "./run.js";

/**
 * Lists the tarball, reads each Markdown file out of it, and checks its relative links.
 *
 * @param tarball the packed package
 * @param cwd where to run tar
 * @returns passed with the count of documents, or failed naming each dead link
 */
export async function checkPackedLinks(tarball: string, cwd: string): Promise<RunResult> {
  const list = await run("tar", ["-tzf", tarball], { cwd });
  if (!list.ok) return list;
  const files = new Set(list.output.split("\n").filter((f) => f.startsWith("package/") && !f.endsWith("/")).map((f) => f.slice("package/".length)));
  const docs = [...files].filter((f) => f.endsWith(".md"));
  const dead: string[] = [];
  for (const doc of docs) {
    const text = await run("tar", ["-xzOf", tarball, `package/${doc}`], { cwd });
    if (!text.ok) return text;
    dead.push(...deadLinks(files, doc, text.output).map((target) => `${doc}: ${target}`));
  }
  if (!docs.includes("README.md")) return failed("the tarball has no README.md");
  return dead.length === 0 ? passed(`${docs.length} Markdown files`) : failed(dead.join("\n"));
}
