/**
 * `tsx scripts/bench/build.ts`: transpiles the bench's measured code to plain JS (see
 * {@link buildWorkers}) and prints the directory; `node --expose-gc DIR/scripts/bench/scaleWorker.js`
 * then profiles without the tsx loader (`--cpu-prof`).
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** Where the measured code is transpiled to; inside node_modules so that packages resolve. */
export const buildDir = path.join(root, "node_modules/.cache/codex-rx-bench");

/**
 * Transpiles src/ and scripts/bench/ file by file (`ts.transpileModule`, no type check) so the
 * workers run on plain `node`: with tsx the loader thread and its transpile caches would count
 * in every client's RSS and CPU, and more so for the one that loads the most TypeScript.
 */
export async function buildWorkers(): Promise<string> {
  await rm(buildDir, { recursive: true, force: true });
  const compilerOptions: ts.CompilerOptions = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true };
  for (const dir of ["src", "scripts/bench"]) {
    for (const entry of await readdir(path.join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(".ts") || entry.name.endsWith(".d.ts")) continue;
      const file = path.join(entry.parentPath, entry.name);
      const { outputText } = ts.transpileModule(await readFile(file, "utf8"), { compilerOptions, fileName: file });
      const out = path.join(buildDir, path.relative(root, file)).replace(/\.ts$/, ".js");
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, outputText);
    }
  }
  await writeFile(path.join(buildDir, "package.json"), `${JSON.stringify({ type: "module", private: true })}\n`);
  return path.join(buildDir, "scripts/bench/worker.js");
}


if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildWorkers();
  console.log(buildDir);
}
