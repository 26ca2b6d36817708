// The "import" group: what `import "codex-rx"` costs a program that already has rxjs and zod (its
// peers), measured as a user meets it: a fresh node process, one dynamic import, timed inside.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { median } from "./stats.js";

const run = promisify(execFile);

/** How many fresh processes per import; the row is their median. */
export const IMPORT_REPS = 9;

/** One fresh process: the imports' wall time and the RSS after them (no GC: what the program holds). */
interface Sample {
  readonly ms: number;
  readonly rssMiB: number;
}

/** The medians of one import. */
export interface ImportFigures {
  readonly ms: number | null;
  readonly rssMiB: number | null;
}

// Timed from before the first import to after the last, in the same process: node's own start-up
// is left out, and is the same for every row.
const PROGRAM = (specifiers: readonly string[]): string =>
  `const t0 = performance.now();\n${specifiers.map((s) => `await import(${JSON.stringify(s)});`).join("\n")}\n` +
  `const ms = performance.now() - t0;\nprocess.stdout.write(JSON.stringify({ ms, rssMiB: process.memoryUsage().rss / 1048576 }));\n`;

async function once(specifiers: readonly string[], cwd: string): Promise<Sample> {
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", PROGRAM(specifiers)], { cwd });
  return JSON.parse(stdout) as Sample;
}

/**
 * Imports each set of modules in fresh processes, `IMPORT_REPS` times, the sets taking turns (in a
 * rotating order) so that machine load hits them alike.
 *
 * @param sets name → the specifiers one process imports, in order
 * @param cwd where the processes resolve the specifiers from
 * @returns the medians per set
 */
export async function measureImports(sets: Readonly<Record<string, readonly string[]>>, cwd: string): Promise<Map<string, ImportFigures>> {
  const names = Object.keys(sets);
  const samples = new Map<string, Sample[]>(names.map((n) => [n, []]));
  for (let rep = 0; rep < IMPORT_REPS; rep += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + rep) % names.length]!;
      samples.get(name)!.push(await once(sets[name]!, cwd));
    }
  }
  return new Map(names.map((n) => [n, { ms: median(samples.get(n)!.map((s) => s.ms)), rssMiB: median(samples.get(n)!.map((s) => s.rssMiB)) }]));
}

/**
 * The import group's sets: rxjs + zod (the floor a codex-rx user pays anyway: they are its peers),
 * codex-rx's main entry as the bench transpiled it (the same per-file JavaScript `npm run build`
 * writes to dist/), and `@openai/codex-sdk` for comparison.
 *
 * @param buildDir where the bench transpiled src/
 * @returns the sets for {@link measureImports}
 */
export function importSets(buildDir: string): Record<"raw" | "codex-rx" | "codex-sdk", readonly string[]> {
  return {
    raw: ["rxjs", "zod"],
    "codex-rx": [new URL(`file://${path.join(buildDir, "src", "index.js")}`).href],
    "codex-sdk": ["@openai/codex-sdk"],
  };
}
