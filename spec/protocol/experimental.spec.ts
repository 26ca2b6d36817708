// The experimental surface: what the generator emits for it, how a connection's surface checks
// what the caller sends, and that `import "codex-rx"` does not load it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ExperimentalApiRequiredError, InvalidInputError } from "../../src/errors/index.js";
import { loadClientProtocol } from "../../src/protocol/ClientProtocol.js";
import { stableProtocol } from "../../src/protocol/stableProtocol.js";
import { staticImportGraph } from "../helpers/importGraph.js";
import {
  experimentalClientRequestParamsSchemas,
  experimentalClientRequestResultSchemas,
} from "../../src/protocol/generated/experimental.js";
import { EXPERIMENTAL_CLIENT_METHODS, EXPERIMENTAL_PARAMS_FIELDS } from "../../src/protocol/generated/experimentalSurface.js";
import { clientRequestParamsSchemas, clientRequestResultSchemas } from "../../src/protocol/generated/index.js";
import { checkOptionKeys, validateParams } from "../../src/protocol/validate.js";
import type { ThreadResumeOptions, ThreadStartOptions } from "../../src/client/CodexOptions.js";
import { ApprovalMode } from "../../src/client/presets.js";
import { threadPresetParams } from "../../src/client/presetParams.js";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "src");
const GENERATED = path.join(SRC, "protocol", "generated");
const tool = { type: "function", name: "get_weather", description: "d", inputSchema: { type: "object" } } as const;

describe("the generated experimental surface", () => {
  it("registers the 189 client methods of `generate-json-schema --experimental`: the 110 stable ones and 79 more", () => {
    const all = Object.keys(experimentalClientRequestParamsSchemas);
    expect(all).toHaveLength(189);
    expect(Object.keys(experimentalClientRequestResultSchemas).sort()).toEqual([...all].sort());
    expect(all).toEqual(expect.arrayContaining(Object.keys(clientRequestParamsSchemas)));
    const added = all.filter((m) => !Object.prototype.hasOwnProperty.call(clientRequestParamsSchemas, m));
    expect(added.sort()).toEqual([...EXPERIMENTAL_CLIENT_METHODS].sort());
    expect(EXPERIMENTAL_CLIENT_METHODS).toHaveLength(79);
    expect(EXPERIMENTAL_CLIENT_METHODS).toEqual(expect.arrayContaining(["thread/queue/add", "process/spawn", "thread/search/stream", "collaborationMode/list"]));
  });

  it("names the experimental fields of stable methods, nested ones with their path", () => {
    expect(EXPERIMENTAL_PARAMS_FIELDS["thread/start"]).toEqual(expect.arrayContaining(["dynamicTools", "environments", "permissions"]));
    expect(EXPERIMENTAL_PARAMS_FIELDS["thread/items/list"]).toEqual(["deferOutput.commandExecution", "deferOutput.mcpToolCall"]);
    for (const [method, fields] of Object.entries(EXPERIMENTAL_PARAMS_FIELDS)) {
      expect(Object.prototype.hasOwnProperty.call(clientRequestParamsSchemas, method)).toBe(true);
      // Each named field is one the stable surface refuses and the experimental one accepts.
      for (const field of fields.filter((f) => !f.includes("."))) {
        expect(validateParams(method, { [field]: null }, stableProtocol)?.issues.some((i) => i.code === "experimental_api")).toBe(true);
      }
    }
  });

  it("types every experimental result (no z.unknown() beyond the stable surface's own)", () => {
    const unknownIn = (registry: Readonly<Record<string, { _zod: { def: { type: string } } }>>): string[] =>
      Object.entries(registry).filter(([, s]) => s._zod.def.type === "unknown").map(([m]) => m);
    expect(unknownIn(experimentalClientRequestResultSchemas)).toEqual(unknownIn(clientRequestResultSchemas));
  });

  it("tags the added definitions, fields and methods @experimental in the TSDoc", () => {
    const text = readFileSync(path.join(GENERATED, "experimental.ts"), "utf8");
    expect(text).toMatch(/@experimental\n(?:\s+\*\n\s+\* @defaultValue `null`\n)?\s+\*\/\n\s+dynamicTools\?: DynamicToolSpec\[\] \| null;/);
    expect(text).toMatch(/\/\*\* @experimental \*\/\n\s+"thread\/queue\/add": ThreadQueueAddParams;/);
    expect(text).toMatch(/\/\*\* @experimental \*\/\nexport interface ThreadQueueListResponse /);
    // The stable file is untouched by the experimental surface.
    expect(readFileSync(path.join(GENERATED, "schemas.ts"), "utf8")).not.toContain("dynamicTools?:");
  });
});

describe("a connection's surface checks what the caller sends", () => {
  it("refuses an experimental method on the stable surface, naming experimentalApi", () => {
    const error = validateParams("thread/queue/list", { threadId: "t" }, stableProtocol);
    expect(error).toBeInstanceOf(ExperimentalApiRequiredError);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error?.message).toBe("thread/queue/list is an experimental method: start the client with Codex.start({ experimentalApi: true }); nothing was sent");
    expect(error?.issues).toEqual([{ path: [], message: "experimental method: start the client with Codex.start({ experimentalApi: true })", code: "experimental_api" }]);
  });

  it("refuses experimental fields on the stable surface (first, before other issues), nested ones too", () => {
    const error = validateParams("thread/start", { modle: "m", dynamicTools: [tool], environments: [] }, stableProtocol);
    expect(error).toBeInstanceOf(ExperimentalApiRequiredError);
    expect(error?.message).toBe("dynamicTools, environments are experimental fields of thread/start: start the client with Codex.start({ experimentalApi: true }) (+1 more); nothing was sent");
    expect(error?.issues.map((i) => [i.path.join("."), i.code])).toEqual([
      ["dynamicTools", "experimental_api"],
      ["environments", "experimental_api"],
      ["modle", "unrecognized_keys"],
    ]);
    expect(validateParams("thread/items/list", { threadId: "t", deferOutput: { commandExecution: true } }, stableProtocol)?.path).toBe("deferOutput.commandExecution");
  });

  it("keeps the plain InvalidInputError for what is wrong on both surfaces", () => {
    const error = validateParams("thread/start", { modle: "m" }, stableProtocol);
    expect(error?.name).toBe("InvalidInputError");
    expect(error).not.toBeInstanceOf(ExperimentalApiRequiredError);
    // A method neither surface knows is not checked (a newer server's), as before.
    expect(validateParams("some/newer/method", { x: 1 }, stableProtocol)).toBeUndefined();
  });

  it("accepts the experimental methods and fields on the experimental surface, and still checks them", async () => {
    const experimental = await loadClientProtocol("experimental");
    expect(experimental.surface).toBe("experimental");
    expect(await loadClientProtocol("experimental")).toBe(experimental);
    expect(await loadClientProtocol("stable")).toBe(stableProtocol);
    expect(validateParams("thread/queue/list", { threadId: "t" }, experimental)).toBeUndefined();
    expect(validateParams("thread/start", { dynamicTools: [tool] }, experimental)).toBeUndefined();
    expect(validateParams("thread/items/list", { threadId: "t", deferOutput: { commandExecution: true } }, experimental)).toBeUndefined();
    const typo = validateParams("thread/start", { dynamicTools: [{ ...tool, inputSchem: {} }] }, experimental);
    expect(typo?.name).toBe("InvalidInputError");
    expect(typo?.issues[0]).toMatchObject({ path: ["dynamicTools", 0, "inputSchem"], suggestion: "inputSchema" });
    expect(validateParams("thread/queue/list", { threadId: 1 }, experimental)?.path).toBe("threadId");
  });

  it("checks the facade's option keys against the surface too (threadStart / threadResume / threadFork)", async () => {
    const experimental = await loadClientProtocol("experimental");
    expect(checkOptionKeys("thread/start", { dynamicTools: [tool] }, ["approvalMode"], [], stableProtocol)).toBeInstanceOf(ExperimentalApiRequiredError);
    expect(checkOptionKeys("thread/start", { dynamicTools: [tool] }, ["approvalMode"], [], experimental)).toBeUndefined();
    const resume: ThreadResumeOptions<"experimental"> = { runtimeWorkspaceRoots: ["/repo"] };
    expect(() => threadPresetParams("thread/resume", resume, stableProtocol)).toThrow(ExperimentalApiRequiredError);
    expect(threadPresetParams("thread/resume", resume, experimental)).toEqual(resume);
    // thread/resume has no dynamicTools on either surface (the server keeps a thread's tools): a plain unknown key.
    const withTools = { dynamicTools: [tool] } as ThreadResumeOptions<"experimental">;
    expect(threadPresetParams.bind(undefined, "thread/resume", withTools, experimental)).toThrow("invalid thread/resume input: dynamicTools: unknown key; nothing was sent");
    const start: ThreadStartOptions<"experimental"> = { dynamicTools: [tool], approvalMode: ApprovalMode.denyAll };
    expect(threadPresetParams("thread/start", start, experimental)).toMatchObject({ dynamicTools: [tool], approvalPolicy: "never" });
  });
});

describe("what import loads of the generated protocol", () => {
  // That codex-rx itself loads none of it is the entry points' rule (spec/entryPoints.spec.ts).
  it("advanced and testing load the stable schemas, not the experimental ones (a connection loads those when asked)", () => {
    for (const entry of ["advanced.ts", path.join("testing", "index.ts")]) {
      const loaded = staticImportGraph(path.join(SRC, entry)).files;
      expect(loaded).toContain(path.join(GENERATED, "schemas.ts"));
      expect(loaded).not.toContain(path.join(GENERATED, "experimental.ts"));
    }
  });
});
