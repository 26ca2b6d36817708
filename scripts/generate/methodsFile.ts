import { tsDoc } from "./emitTs.js";
import { type ZodContext, zodDoc } from "./emitZod.js";
import { arr, isObject, type Json, type Node, refsOf, str, toNode } from "./nodes.js";
import { commentLines, concat, type Doc, type Item, list, render } from "./printer.js";
import { byName, headerFor } from "./schemasFile.js";

// src/protocol/generated/methods.ts: the method registries, from the ClientRequest, ServerRequest,
// ServerNotification and ClientNotification unions.

/** The client requests whose result type does not follow `XParams` → `XResponse`. */
export const CLIENT_RESULT_OVERRIDES: Readonly<Record<string, string>> = {
  "account/gatewayOAuth/cancel": "GatewayOAuthCancelResponse",
  "account/logout": "LogoutAccountResponse",
  "account/securitySetup/read": "GetAccountSecuritySetupResponse",
  "account/workspaceMessages/read": "GetWorkspaceMessagesResponse",
  "config/batchWrite": "ConfigWriteResponse",
  "config/mcpServer/reload": "McpServerRefreshResponse",
  "config/value/write": "ConfigWriteResponse",
  "configRequirements/read": "ConfigRequirementsReadResponse",
  "externalAgentConfig/import/readHistories": "ExternalAgentConfigImportHistoriesReadResponse",
  "windowsSandbox/readiness": "WindowsSandboxReadinessResponse",
};

export interface MethodEntry {
  readonly method: string;
  readonly params: Node | undefined;
}

export function methodEntries(defs: ReadonlyMap<string, Json>, union: string): MethodEntry[] {
  const schema = defs.get(union);
  if (!isObject(schema)) throw new Error(`schema has no ${union}`);
  const entries = arr(schema["oneOf"]).map((alt): MethodEntry => {
    if (!isObject(alt) || !isObject(alt["properties"])) throw new Error(`${union}: unexpected alternative`);
    const props = alt["properties"];
    const m = props["method"];
    const method = isObject(m) ? str(arr(m["enum"])[0]) : undefined;
    if (method === undefined) throw new Error(`${union}: alternative without a method literal`);
    const params = props["params"];
    return { method, params: params === undefined ? undefined : toNode(params) };
  });
  return entries.sort((a, b) => byName(a.method, b.method));
}

/** `X`, `X | null`, `null`: the params node, widened to allow omission where null is allowed. */
export function paramsType(p: MethodEntry, imports: Set<string>, ready: ZodContext): { ts: Doc; zod: Doc } {
  const node = p.params;
  if (node === undefined) return { ts: "undefined", zod: "z.undefined()" };
  for (const r of refsOf(node, new Set())) imports.add(r);
  if (node.k === "null") return { ts: "null | undefined", zod: "z.null().optional()" };
  if (node.k === "nullable") {
    return {
      ts: concat(tsDoc(node.inner), " | null | undefined"),
      zod: concat(zodDoc(node.inner, ready), ".nullish()"),
    };
  }
  return { ts: tsDoc(node), zod: zodDoc(node, ready) };
}

export interface MethodRow {
  readonly method: string;
  readonly ts: Doc;
  readonly zod: Doc;
  /** TSDoc of the method's entry in the type map (`@experimental` for a method of the experimental surface only). */
  readonly comment?: string | undefined;
}

export function methodItems(rows: readonly MethodRow[], pick: (row: MethodRow) => Doc, comments = false): Item[] {
  return rows.map((row) => ({
    doc: { t: "assign", label: `${JSON.stringify(row.method)}:`, value: pick(row), end: "" },
    comment: comments ? row.comment : undefined,
  }));
}

/**
 * The result row of a client or server request: `XParams` → `XResponse` when that definition
 * exists, else the override table; `unknown` (and the method added to `unresolved`) otherwise.
 */
export function resultRow(
  e: MethodEntry,
  overrides: Readonly<Record<string, string>>,
  nodeNames: ReadonlySet<string>,
  imports: Set<string>,
  unresolved: string[],
): MethodRow {
  let name = overrides[e.method];
  if (name === undefined && e.params !== undefined) {
    const p = e.params.k === "nullable" ? e.params.inner : e.params;
    if (p.k === "ref" && p.name.endsWith("Params")) name = `${p.name.slice(0, -"Params".length)}Response`;
  }
  if (name === undefined || !nodeNames.has(name)) {
    unresolved.push(e.method);
    return { method: e.method, ts: "unknown", zod: "z.unknown()" };
  }
  imports.add(name);
  return { method: e.method, ts: name, zod: `${name}Schema` };
}

/** `export const <name> = { method: schema, … } as const satisfies …` and `export interface <mapName>`. */
export function registryPair(
  name: string,
  mapName: string,
  rows: readonly MethodRow[],
  what: string,
  kind: "params" | "result",
  note?: string,
): string {
  const schemas = render(list("{", "}", methodItems(rows, (r) => r.zod), { flatPad: true }), 0, 0);
  const types = render(list("{", "}", methodItems(rows, (r) => r.ts, true), { flatPad: true, sep: ";" }), 0, 0);
  const more = note === undefined ? "" : `\n\n${note}`;
  const count = `${rows.length} method${rows.length === 1 ? "" : "s"}`;
  let out = commentLines(`${what}: method → ${kind} schema (${count}).${more}`, "");
  out += `export const ${name} = ${schemas} as const satisfies {\n`;
  out += `  readonly [M in keyof ${mapName}]: z.ZodType<${mapName}[M]>;\n};\n\n`;
  out += commentLines(`${what}: method → ${kind} type.${more}`, "");
  out += `export interface ${mapName} ${types}\n`;
  return out;
}

export function methodAlias(alias: string, mapName: string, what: string): string {
  return `/** Every ${what} method of the pinned protocol. */\nexport type ${alias} = keyof ${mapName};\n`;
}

export function renderMethodsFile(
  defs: ReadonlyMap<string, Json>,
  cliVersion: string,
  version: string,
  warn: (message: string) => void,
): string {
  const imports = new Set<string>();
  const nodeNames = new Set(defs.keys());
  // Every schema is initialized by the time methods.ts runs: no reference needs z.lazy here.
  const ready: ZodContext = { ready: nodeNames };
  const paramsOf = (union: string): (MethodRow & { readonly entry: MethodEntry })[] =>
    methodEntries(defs, union).map((entry) => ({ method: entry.method, ...paramsType(entry, imports, ready), entry }));

  const unresolved: string[] = [];
  const resultOf = (e: MethodEntry, overrides: Readonly<Record<string, string>>): MethodRow =>
    resultRow(e, overrides, nodeNames, imports, unresolved);

  const notifications = paramsOf("ServerNotification");
  const serverRequests = paramsOf("ServerRequest");
  const serverResults = serverRequests.map((r) => resultOf(r.entry, {}));
  const clientRequests = paramsOf("ClientRequest");
  const clientResults = clientRequests.map((r) => resultOf(r.entry, CLIENT_RESULT_OVERRIDES));
  const clientNotifications = paramsOf("ClientNotification");
  if (unresolved.length > 0) {
    warn(`generate-protocol: no result type found for ${unresolved.join(", ")}; typed as unknown`);
  }

  const sections = [
    registryPair(
      "serverNotificationSchemas",
      "ServerNotificationParamsMap",
      notifications,
      "Server → client notifications",
      "params",
    ),
    methodAlias("ServerNotificationMethod", "ServerNotificationParamsMap", "notification"),
    registryPair("serverRequestSchemas", "ServerRequestParamsMap", serverRequests, "Server → client requests", "params"),
    registryPair(
      "serverRequestResultSchemas",
      "ServerRequestResultMap",
      serverResults,
      "Server → client requests",
      "result",
      "The result is what the client answers the request with.",
    ),
    methodAlias("ServerRequestMethod", "ServerRequestParamsMap", "server → client request"),
    registryPair(
      "clientRequestParamsSchemas",
      "ClientRequestParamsMap",
      clientRequests,
      "Client → server requests",
      "params",
      "Params the schema types as `null` (or `X | null`) may also be omitted (`undefined`): the server\n" +
        "reads them as an optional value.",
    ),
    registryPair(
      "clientRequestResultSchemas",
      "ClientRequestResultMap",
      clientResults,
      "Client → server requests",
      "result",
      "Derived by name (`XParams` → `XResponse`) plus the generator's override table.",
    ),
    methodAlias("ClientRequestMethod", "ClientRequestParamsMap", "client → server request"),
    registryPair(
      "clientNotificationSchemas",
      "ClientNotificationParamsMap",
      clientNotifications,
      "Client → server notifications",
      "params",
      "`undefined`: sent without params.",
    ),
    methodAlias("ClientNotificationMethod", "ClientNotificationParamsMap", "client → server notification"),
  ];

  const names = [...imports].sort(byName);
  const importItems: Item[] = names.flatMap((n) => [{ doc: `type ${n}` }, { doc: `${n}Schema` }]);
  let out = headerFor(cliVersion);
  out += "//\n// Method registries of the pinned protocol, derived from its ClientRequest, ServerRequest,\n";
  out += "// ServerNotification and ClientNotification unions. Keys are sorted.\n\n";
  out += 'import { z } from "zod";\n';
  out += `import ${render(list("{", "}", importItems, { flatPad: true }), 0, 7)} from "./schemas.js";\n\n`;
  out += "/** The codex-cli version whose protocol these files describe. */\n";
  out += `export const PROTOCOL_VERSION = ${JSON.stringify(version)};\n\n`;
  out += sections.join("\n");
  return out;
}
