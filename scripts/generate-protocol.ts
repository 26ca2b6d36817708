/**
 * `npm run generate`: writes `src/protocol/generated/` (zod schemas, TypeScript types and method
 * registries) from the JSON Schema that the pinned `codex` binary prints about its own protocol
 * (`codex app-server generate-json-schema`), twice: the stable surface (`schemas.ts`, `methods.ts`,
 * loaded by a connection when it starts) and, with `--experimental`, the experimental one (`experimental.ts`,
 * loaded only by a client started with `experimentalApi: true`, plus the names of what it adds in
 * `experimentalSurface.ts`).
 *
 * Decisions (kept in one place so the generated code and DESIGN.md can point here):
 * - Every object is `z.looseObject` — also where the schema says `additionalProperties: false`.
 *   A newer server adding a field must not turn a good message into a protocol error, and keys
 *   we do not know are kept (the wire is passed on as-is). The TypeScript types list only the
 *   known keys. Consequence: in an untagged union (`anyOf` / `oneOf` without a discriminator) the
 *   first matching alternative wins ("at least one" rather than JSON Schema's "exactly one");
 *   since no schema transforms its input, which alternative matched never changes the value.
 * - `default` is documented (`@defaultValue`), never applied: the parsed value is the wire value.
 * - `integer` is `z.int()` (a safe integer), `minimum` / `minLength` are enforced, `format`s such
 *   as `uint32` only select integer vs number.
 * - `oneOf`/`anyOf` is a `z.discriminatedUnion` when every alternative is an object with one
 *   required key holding a single string literal, unique per alternative; otherwise `z.union`.
 *   Object schemas that have both `properties` and `anyOf`/`oneOf` become a union of merged
 *   objects (falling back to `z.intersection` when an alternative is not an inline object).
 * - Every definition's schema is built on first use (`typed<X>()(() => …)` wraps it in `z.lazy`):
 *   a client touches a few dozen of the ~770 definitions, and building them all at import cost
 *   ≈ 100 ms and ≈ 15 MiB. Definitions are still emitted in dependency order, and a reference that
 *   closes a cycle is also wrapped in its own `z.lazy`.
 * - Request params the schema types as `null` (or `X | null`) may also be omitted: the server
 *   declares them `Option<…>`, so the registries accept `undefined` there as well.
 * - The experimental surface is emitted as a delta, not a second copy: `experimental.ts` declares
 *   the definitions that are new or changed (and those that refer to them, under the same names, so
 *   their types reach the new fields) and imports every other one from `schemas.ts`. New
 *   definitions, fields and methods carry `@experimental`. Its registries cover every client
 *   method of that surface (stable ones included): a connection holds one of the two.
 *
 * The jobs live under `scripts/generate/`: `nodes.ts` (JSON Schema → normalized nodes),
 * `printer.ts` (the pretty printer), `emitTs.ts` (nodes → TypeScript types), `emitZod.ts`
 * (nodes → zod), `schemasFile.ts` and `methodsFile.ts` (the two generated files). This file reads
 * the binary's schema and writes them.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { resolveCodexBinary } from "../src/transport/resolveCodexBinary.js";
import { IDENT } from "./generate/emitTs.js";
import { renderMethodsFile } from "./generate/methodsFile.js";
import { isObject, type Json, type Node, toNode } from "./generate/nodes.js";
import { renderExperimentalFile, renderSurfaceFile } from "./generate/experimentalFile.js";
import { byName, flattenDefinitions, headerFor, renderSchemasFile } from "./generate/schemasFile.js";
import { diffSurfaces } from "./generate/surfaceDiff.js";

const execFileAsync = promisify(execFile);

export interface GenerateOptions {
  /** The binary to ask; default {@link resolveCodexBinary}. */
  readonly codexPath?: string;
  /** Receives warnings (unresolved result types); default `console.warn`. */
  readonly warn?: (message: string) => void;
}

export interface SchemaBundle {
  readonly definitions: Readonly<Record<string, Json>>;
}

function renderIndexFile(cliVersion: string): string {
  return `${headerFor(cliVersion)}\nexport * from "./schemas.js";\nexport * from "./methods.js";\n`;
}

/**
 * Renders the generated files from an already read schema bundle (pure; no I/O).
 *
 * @param bundle the parsed `codex_app_server_protocol.schemas.json`
 * @param cliVersion the output of `codex --version`, e.g. `codex-cli 0.169.0`
 * @param experimentalBundle the same with `--experimental`; without it, no experimental files
 * @returns file name (relative to `src/protocol/generated/`) → content
 */
export function renderProtocol(
  bundle: unknown,
  cliVersion: string,
  warn: (message: string) => void = (m) => console.warn(m),
  experimentalBundle?: unknown,
): Record<string, string> {
  const { defs, nodes } = readBundle(bundle);
  const m = /(\d+\.\d+\.\d+[^\s]*)/.exec(cliVersion);
  if (m === null || m[1] === undefined) throw new Error(`Cannot read a version from "${cliVersion}"`);
  const files: Record<string, string> = {
    "index.ts": renderIndexFile(cliVersion),
    "methods.ts": renderMethodsFile(defs, cliVersion, m[1], warn),
    "schemas.ts": renderSchemasFile(nodes, cliVersion),
  };
  if (experimentalBundle === undefined) return files;
  const experimental = readBundle(experimentalBundle);
  const diff = diffSurfaces(defs, experimental.defs, nodes, experimental.nodes);
  files["experimental.ts"] = renderExperimentalFile(nodes, experimental.defs, experimental.nodes, diff, cliVersion, warn);
  files["experimentalSurface.ts"] = renderSurfaceFile(diff, cliVersion);
  return files;
}

function readBundle(bundle: unknown): { defs: Map<string, Json>; nodes: Map<string, Node> } {
  if (!isObject(bundle)) throw new Error("schema bundle is not an object");
  const defs = flattenDefinitions(bundle);
  const nodes = new Map<string, Node>();
  for (const name of [...defs.keys()].sort(byName)) {
    if (!IDENT.test(name)) throw new Error(`Definition name ${name} is not an identifier`);
    nodes.set(name, toNode(defs.get(name) ?? true));
  }
  return { defs, nodes };
}

/**
 * Asks the pinned binary for its protocol and renders `src/protocol/generated/`.
 *
 * @returns file name (relative to `src/protocol/generated/`) → content
 * @throws Error when the binary cannot be found or run
 */
export async function generateProtocol(opts: GenerateOptions = {}): Promise<Record<string, string>> {
  const codex = opts.codexPath ?? resolveCodexBinary();
  const { stdout: versionOut } = await execFileAsync(codex, ["--version"]);
  const dir = await mkdtemp(path.join(tmpdir(), "codex-rx-schema-"));
  try {
    const read = async (surface: string, flags: readonly string[]): Promise<unknown> => {
      const out = path.join(dir, surface);
      await execFileAsync(codex, ["app-server", "generate-json-schema", ...flags, "--out", out]);
      return JSON.parse(await readFile(path.join(out, "codex_app_server_protocol.schemas.json"), "utf8"));
    };
    const [stable, experimental] = await Promise.all([read("stable", []), read("experimental", ["--experimental"])]);
    return renderProtocol(stable, versionOut.trim(), opts.warn, experimental);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Where the generated files live. */
export const GENERATED_DIR = fileURLToPath(new URL("../src/protocol/generated/", import.meta.url));

async function main(): Promise<void> {
  const files = await generateProtocol();
  await mkdir(GENERATED_DIR, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await writeFile(path.join(GENERATED_DIR, name), content);
    const where = path.relative(process.cwd(), path.join(GENERATED_DIR, name));
    console.log(`wrote ${where} (${content.split("\n").length} lines)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
