import { docComment } from "./emitTs.js";
import { type ZodContext } from "./emitZod.js";
import { CLIENT_RESULT_OVERRIDES, methodEntries, type MethodRow, paramsType, registryPair, resultRow } from "./methodsFile.js";
import { type Json, type Node, refsOf } from "./nodes.js";
import { list, render, type Item } from "./printer.js";
import { byName, emissionOrder, headerFor, renderDefinition, TYPED_HELPER } from "./schemasFile.js";
import { type SurfaceDiff, tagExperimentalFields, withTag } from "./surfaceDiff.js";

// src/protocol/generated/experimental.ts (the experimental surface, loaded on demand) and
// src/protocol/generated/experimentalSurface.ts (the names of what it adds, loaded with the stable one).

/** The experimental client requests whose result type does not follow `XParams` → `XResponse`. */
export const EXPERIMENTAL_RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  ...CLIENT_RESULT_OVERRIDES,
  "accountSession/list": "AccountSessionsResponse",
  "memory/reset": "MemoryResetResponse",
  "remoteControl/status/read": "RemoteControlStatusReadResponse",
  "rollout/compress": "RolloutCompressResponse",
};

/**
 * The experimental surface: the definitions that differ from the stable ones (the rest imported
 * from `./schemas.js`) and the client request registries of all 189-odd methods.
 *
 * @param stableNodes the stable definitions (what may be imported)
 * @param experimentalDefs the experimental definitions, raw (for the ClientRequest union)
 * @param experimentalNodes the experimental definitions, as nodes
 * @param diff what differs
 */
export function renderExperimentalFile(
  stableNodes: ReadonlyMap<string, Node>,
  experimentalDefs: ReadonlyMap<string, Json>,
  experimentalNodes: ReadonlyMap<string, Node>,
  diff: SurfaceDiff,
  cliVersion: string,
  warn: (message: string) => void,
): string {
  const imports = new Set<string>();
  const external = new Set([...experimentalNodes.keys()].filter((n) => !diff.local.has(n)));
  const localNodes = new Map<string, Node>();
  for (const name of diff.local) {
    const node = experimentalNodes.get(name);
    if (node === undefined) continue;
    localNodes.set(name, diff.changed.has(name) ? tagExperimentalFields(stableNodes.get(name), node) : node);
    for (const dep of refsOf(node, new Set())) if (!diff.local.has(dep)) imports.add(dep);
  }

  let body = "";
  const ready = new Set<string>(external);
  for (const name of emissionOrder(localNodes, external)) {
    const node = localNodes.get(name);
    if (node === undefined) continue;
    const comment = diff.added.has(name) ? withTag(node.description) : docComment(node.description);
    body += renderDefinition(name, node, ready, comment);
    ready.add(name);
  }

  // Every definition is initialized by the time the registries run: no reference needs z.lazy.
  const all: ZodContext = { ready: new Set(experimentalNodes.keys()) };
  const added = new Set(diff.methods);
  const registryImports = new Set<string>();
  const unresolved: string[] = [];
  const entries = methodEntries(experimentalDefs, "ClientRequest");
  const params: MethodRow[] = entries.map((e) => ({
    method: e.method,
    ...paramsType(e, registryImports, all),
    comment: added.has(e.method) ? "@experimental" : undefined,
  }));
  const results: MethodRow[] = entries.map((e) => ({
    ...resultRow(e, EXPERIMENTAL_RESULT_OVERRIDES, new Set(experimentalNodes.keys()), registryImports, unresolved),
    comment: added.has(e.method) ? "@experimental" : undefined,
  }));
  if (unresolved.length > 0) warn(`generate-protocol: no experimental result type found for ${unresolved.join(", ")}; typed as unknown`);
  for (const name of registryImports) if (!diff.local.has(name)) imports.add(name);

  const names = [...imports].sort(byName);
  const importItems: Item[] = names.flatMap((n) => [{ doc: `type ${n}` }, { doc: `${n}Schema` }]);
  let out = headerFor(cliVersion);
  out += "//\n// The experimental surface of the pinned protocol (`codex app-server generate-json-schema\n";
  out += "// --experimental`), for a client started with `Codex.start({ experimentalApi: true })`, which\n";
  out += "// loads this module on demand (`import \"codex-rx\"` does not). Declared here: the definitions the\n";
  out += `// experimental surface adds (${diff.added.size}) or extends (${diff.changed.size}), and the ${diff.local.size - diff.added.size - diff.changed.size} that refer to\n`;
  out += "// those; every other definition is the stable one, imported from ./schemas.js. Tagged\n";
  out += "// `@experimental`: the added definitions, the added fields and the added methods.\n\n";
  out += 'import { z } from "zod";\n';
  out += `import ${render(list("{", "}", importItems, { flatPad: true }), 0, 7)} from "./schemas.js";\n\n`;
  out += TYPED_HELPER;
  out += body;
  out += "\n";
  const what = "Client → server requests of the experimental surface";
  out += registryPair("experimentalClientRequestParamsSchemas", "ExperimentalClientRequestParamsMap", params, what, "params");
  out += "\n";
  out += registryPair("experimentalClientRequestResultSchemas", "ExperimentalClientRequestResultMap", results, what, "result");
  out += "\n/** Every client → server request method of the experimental surface (the stable ones included). */\n";
  out += "export type ExperimentalClientRequestMethod = keyof ExperimentalClientRequestParamsMap;\n";
  return out;
}

/**
 * The names of what the experimental surface adds, small enough to load with the stable surface:
 * a client without `experimentalApi` refuses them by name before anything is sent.
 */
export function renderSurfaceFile(diff: SurfaceDiff, cliVersion: string): string {
  let out = headerFor(cliVersion);
  out += "//\n// What the experimental surface adds to the stable one, by name only (the schemas are in\n";
  out += "// ./experimental.ts, loaded on demand): a client started without `experimentalApi: true`\n";
  out += "// refuses these before anything is sent.\n\n";
  const methods = render(list("[", "]", diff.methods.map((m) => ({ doc: JSON.stringify(m) }))), 0, 0);
  out += `/** Client request methods only the experimental surface has (${diff.methods.length}). */\n`;
  out += `export const EXPERIMENTAL_CLIENT_METHODS: readonly string[] = ${methods};\n\n`;
  const fieldItems: Item[] = Object.keys(diff.fields)
    .sort(byName)
    .map((m) => ({
      doc: {
        t: "assign",
        label: `${JSON.stringify(m)}:`,
        value: list("[", "]", (diff.fields[m] ?? []).map((f) => ({ doc: JSON.stringify(f) }))),
        end: "",
      },
    }));
  out += "/** Params fields of stable methods that only the experimental surface has: method → dotted paths (array levels skipped). */\n";
  out += `export const EXPERIMENTAL_PARAMS_FIELDS: Readonly<Record<string, readonly string[]>> = ${render(list("{", "}", fieldItems, { flatPad: true }), 0, 0)};\n`;
  return out;
}
