// What the server sends is checked against its generated schema and then used as JSON.parse made
// it, not as zod's copy (src/protocol/validate.ts, `wireIssues`). That holds only while the two
// are equal: while no schema a message from the server goes through transforms anything.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { experimentalClientRequestParamsSchemas, experimentalClientRequestResultSchemas } from "../../src/protocol/generated/experimental.js";
import { clientRequestResultSchemas, serverNotificationSchemas, serverRequestSchemas } from "../../src/protocol/generated/index.js";
import { wireIssues } from "../../src/protocol/validate.js";

/** zod types that give back what they were given (a loose object keeps unknown keys). */
const KEEPS_ITS_INPUT = new Set(["string", "number", "int", "boolean", "null", "undefined", "literal", "enum", "unknown", "any", "object", "array", "record", "union", "optional", "nullable", "lazy", "pipe"]);

interface Def {
  readonly type: string;
  readonly [key: string]: unknown;
}

function defOf(schema: unknown): Def {
  return (schema as { _zod: { def: Def } })._zod.def;
}

/** Every zod type under `schema` that does not give back its input, with where it is. */
function transforming(schema: unknown, where: string, seen: Set<unknown>, out: string[]): void {
  if (seen.has(schema)) return;
  seen.add(schema);
  const def = defOf(schema);
  if (!KEEPS_ITS_INPUT.has(def.type)) {
    out.push(`${where}: ${def.type}`);
    return;
  }
  const child = (s: unknown, at: string): void => transforming(s, `${where}${at}`, seen, out);
  switch (def.type) {
    case "object": {
      const catchall = def["catchall"];
      // A strict or stripping object would drop (or refuse) keys zod's copy keeps: only loose ones.
      if (catchall === undefined || defOf(catchall).type !== "unknown") out.push(`${where}: object that is not loose`);
      for (const [key, value] of Object.entries(def["shape"] as Record<string, unknown>)) child(value, `.${key}`);
      return;
    }
    case "array":
      child(def["element"], "[]");
      return;
    case "record":
      child(def["keyType"], "{key}");
      child(def["valueType"], "{value}");
      return;
    case "union":
      (def["options"] as unknown[]).forEach((o, i) => child(o, `|${i}`));
      return;
    case "optional":
    case "nullable":
      child(def["innerType"], "");
      return;
    case "lazy":
      child((def["getter"] as () => unknown)(), "");
      return;
    case "pipe":
      child(def["in"], "(in)");
      child(def["out"], "(out)");
      return;
    default:
      return;
  }
}

describe("schemas of what the server sends", () => {
  // The experimental surface's too (its params included: what the caller sends is sent as given).
  const registries = { serverNotificationSchemas, serverRequestSchemas, clientRequestResultSchemas, experimentalClientRequestResultSchemas, experimentalClientRequestParamsSchemas };

  it.each(Object.entries(registries))("%s transform nothing: each gives back what it was given", (_name, registry) => {
    const out: string[] = [];
    const seen = new Set<unknown>();
    for (const [method, schema] of Object.entries(registry as Record<string, z.ZodType>)) transforming(schema, method, seen, out);
    expect(out).toEqual([]);
  });

  it("the walk finds a transform, a default and a stripping object where there is one", () => {
    const out: string[] = [];
    const schema = z.looseObject({ a: z.string().transform((s) => s.length), b: z.int().default(1), c: z.object({ d: z.string() }) });
    transforming(schema, "x", new Set(), out);
    expect(out).toEqual(["x.a(out): transform", "x.b: default", "x.c: object that is not loose"]);
  });

  it("zod's copy of every recorded message equals the message itself", () => {
    const fixture = fileURLToPath(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url));
    // The transcript has the server's side only: a response names its request by what it holds.
    const resultOf = (result: object): keyof typeof clientRequestResultSchemas | undefined =>
      "userAgent" in result ? "initialize" : "thread" in result ? "thread/start" : "turn" in result ? "turn/start" : undefined;
    const checked: string[] = [];
    for (const line of readFileSync(fixture, "utf8").split("\n")) {
      if (line.trim() === "") continue;
      const m = JSON.parse(line) as { id?: number | string; method?: string; params?: unknown; result?: object };
      const registry: Record<string, z.ZodType> = m.id === undefined ? serverNotificationSchemas : m.method !== undefined ? serverRequestSchemas : clientRequestResultSchemas;
      const name = m.method ?? (m.result === undefined ? undefined : resultOf(m.result));
      const value = m.method !== undefined ? m.params : m.result;
      const schema = name !== undefined && Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
      if (schema === undefined) throw new Error(`no schema for ${line.slice(0, 80)}`);
      expect(wireIssues(schema, value)).toBeUndefined();
      expect(schema.parse(value)).toEqual(value);
      checked.push(name as string);
    }
    expect(checked.length).toBeGreaterThan(60);
    expect(checked).toEqual(expect.arrayContaining(["initialize", "thread/start", "turn/start", "item/agentMessage/delta", "turn/completed"]));
  });
});
