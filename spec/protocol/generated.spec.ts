import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { GENERATED_DIR, generateProtocol, renderProtocol } from "../../scripts/generate-protocol.js";
import {
  PROTOCOL_VERSION,
  ServerNotificationSchema,
  ThreadItemSchema,
  TurnCompletedNotificationSchema,
  UserInputSchema,
  clientRequestParamsSchemas,
  clientRequestResultSchemas,
  serverNotificationSchemas,
  serverRequestResultSchemas,
  serverRequestSchemas,
} from "../../src/protocol/generated/index.js";
import type { ClientRequestMethod, ServerNotificationMethod, ThreadItem } from "../../src/protocol/generated/index.js";

const fixture = fileURLToPath(new URL("../fixtures/app-server-two-turns.jsonl", import.meta.url));

function hasKey<K extends string>(o: object, k: K): o is Record<K, unknown> {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function isNotificationMethod(m: string): m is ServerNotificationMethod {
  return hasKey(serverNotificationSchemas, m);
}

function issuesOf(result: { success: boolean; error?: z.ZodError | undefined }): string {
  return result.error === undefined ? "" : JSON.stringify(result.error.issues, null, 2);
}

describe("generated protocol", () => {
  it("the committed generated files equal what the pinned binary generates", async () => {
    const expected = await generateProtocol({ warn: () => undefined });
    const onDisk = readdirSync(GENERATED_DIR).sort();
    const stale = Object.keys(expected).filter(
      (name) => !onDisk.includes(name) || readFileSync(path.join(GENERATED_DIR, name), "utf8") !== expected[name],
    );
    const extra = onDisk.filter((name) => !(name in expected));
    if (stale.length > 0 || extra.length > 0) {
      throw new Error(
        `src/protocol/generated/ is out of date (differs: ${stale.join(", ") || "none"}; not generated: ` +
          `${extra.join(", ") || "none"}). Run \`npm run generate\` and commit the result.`,
      );
    }
  });

  it("names the version of the pinned @openai/codex", () => {
    const require = createRequire(import.meta.url);
    const pkg: unknown = require("@openai/codex/package.json");
    expect(pkg).toMatchObject({ version: PROTOCOL_VERSION });
  });

  it("registers every method of the pinned protocol", () => {
    expect(Object.keys(serverNotificationSchemas)).toHaveLength(87);
    expect(Object.keys(serverRequestSchemas)).toHaveLength(10);
    expect(Object.keys(serverRequestResultSchemas)).toHaveLength(10);
    expect(Object.keys(clientRequestParamsSchemas)).toHaveLength(110);
    expect(Object.keys(clientRequestResultSchemas).sort()).toEqual(Object.keys(clientRequestParamsSchemas).sort());
  });
});

describe("generated schemas on the recorded wire", () => {
  const messages = readFileSync(fixture, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line): unknown => JSON.parse(line));
  const notifications = messages.filter(
    (m): m is { method: string; params: unknown } =>
      typeof m === "object" && m !== null && hasKey(m, "method") && !hasKey(m, "id"),
  );

  it("accepts the params of every recorded notification", () => {
    expect(notifications.length).toBeGreaterThan(60);
    for (const n of notifications) {
      expect(isNotificationMethod(n.method)).toBe(true);
      if (!isNotificationMethod(n.method)) continue;
      const result = serverNotificationSchemas[n.method].safeParse(n.params);
      expect({ method: n.method, issues: issuesOf(result) }).toEqual({ method: n.method, issues: "" });
      // Loose objects: the parsed value is the wire value.
      expect(result.data).toEqual(n.params);
    }
  });

  it("accepts every recorded notification as a ServerNotification (with emittedAtMs)", () => {
    for (const n of notifications) {
      const result = ServerNotificationSchema.safeParse(n);
      expect({ method: n.method, issues: issuesOf(result) }).toEqual({ method: n.method, issues: "" });
    }
  });

  it("accepts every recorded response as the result of its request", () => {
    // The recording's requests, by id: initialize, thread/start, then two turns.
    const methodById: Record<number, ClientRequestMethod> = {
      1: "initialize",
      2: "thread/start",
      3: "turn/start",
      4: "turn/start",
    };
    const responses = messages.filter(
      (m): m is { id: number; result: unknown } =>
        typeof m === "object" && m !== null && hasKey(m, "id") && hasKey(m, "result"),
    );
    expect(responses).toHaveLength(4);
    for (const r of responses) {
      const method = methodById[r.id];
      expect(method).toBeDefined();
      if (method === undefined) continue;
      const result = clientRequestResultSchemas[method].safeParse(r.result);
      expect({ method, issues: issuesOf(result) }).toEqual({ method, issues: "" });
    }
  });
});

describe("generated schemas", () => {
  const agentMessage = { type: "agentMessage", id: "item-1", text: "Hello" };

  it("parses a ThreadItem agentMessage", () => {
    const item: ThreadItem = ThreadItemSchema.parse(agentMessage);
    expect(item).toEqual(agentMessage);
    expect(item.type === "agentMessage" ? item.text : null).toBe("Hello");
  });

  it("rejects a missing required field with the path of the issue", () => {
    const result = TurnCompletedNotificationSchema.safeParse({
      threadId: "thread-1",
      turn: { id: "turn-1", items: [agentMessage] },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path)).toEqual([["turn", "status"]]);
  });

  it("keeps unknown extra keys, nested ones included", () => {
    const wire = { ...agentMessage, futureField: { a: 1 }, memoryCitation: null };
    expect(ThreadItemSchema.parse(wire)).toEqual(wire);
    const item = { ...agentMessage, extra: true };
    const params = { threadId: "t", turnId: "u", completedAtMs: 1, item, newTopLevel: 1 };
    expect(serverNotificationSchemas["item/completed"].parse(params)).toEqual(params);
  });

  it("parses an image UserInput with either url or fileId, and rejects one with neither", () => {
    expect(UserInputSchema.parse({ type: "image", url: "https://example.test/a.png" })).toEqual({
      type: "image",
      url: "https://example.test/a.png",
    });
    expect(UserInputSchema.parse({ type: "image", fileId: "file-1", detail: "high" })).toEqual({
      type: "image",
      fileId: "file-1",
      detail: "high",
    });
    expect(UserInputSchema.safeParse({ type: "image", detail: "high" }).success).toBe(false);
  });

  it("rejects an unknown discriminator value", () => {
    const result = ThreadItemSchema.safeParse({ type: "notAnItem", id: "x" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: "invalid_union", path: ["type"] });
  });

  it("lets params the schema types as null be omitted", () => {
    expect(clientRequestParamsSchemas["account/logout"].safeParse(undefined).success).toBe(true);
    expect(clientRequestParamsSchemas["account/logout"].safeParse(null).success).toBe(true);
    expect(clientRequestParamsSchemas["account/logout"].safeParse({}).success).toBe(false);
    expect(clientRequestParamsSchemas["account/rateLimits/read"].safeParse(undefined).success).toBe(true);
  });
});

describe("renderProtocol", () => {
  const noMethods = { oneOf: [] };
  const bundle = {
    definitions: {
      ClientNotification: noMethods,
      ClientRequest: noMethods,
      Node: {
        type: "object",
        properties: { children: { type: "array", items: { $ref: "#/definitions/v2/Tree" } }, name: { type: "string" } },
        required: ["name"],
      },
      ServerNotification: noMethods,
      ServerRequest: noMethods,
      v2: {
        Tree: { anyOf: [{ $ref: "#/definitions/Node" }, { type: "null" }] },
      },
    },
  };

  it("breaks a reference cycle with z.lazy, and only there (besides the lazy build of every schema)", () => {
    const warnings: string[] = [];
    const files = renderProtocol(bundle, "codex-cli 9.9.9", (m) => warnings.push(m));
    const schemas = files["schemas.ts"] ?? "";
    // One z.lazy in the typed() helper, one on the reference that closes the cycle.
    expect(schemas.match(/z\.lazy\(/g)).toHaveLength(2);
    expect(schemas).toContain("z.lazy(() => NodeSchema)");
    expect(schemas).toContain("export type Tree = Node | null;");
    expect(files["methods.ts"]).toContain('export const PROTOCOL_VERSION = "9.9.9";');
    expect(warnings).toEqual([]);
  });
});
