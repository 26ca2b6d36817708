import { z } from "zod";
import { InvalidInputError, tool, toolNamespace, type ToolEntry } from "../../../src/index.js";
import { ToolSet } from "../../../src/client/tools/ToolSet.js";
import { toContentItems } from "../../../src/client/tools/toContentItems.js";

const weather = tool({
  name: "get_weather",
  description: "Weather of a city",
  parameters: z.object({ city: z.string().describe("the city"), unit: z.enum(["C", "F"]).default("C") }),
  execute: ({ city, unit }) => `${city}: 21°${unit}`,
});
const named = (name: string, extra: { deferLoading?: boolean } = {}) => tool({ name, description: "d", parameters: z.object({}), execute: () => "ok", ...extra });

function issuesOf(entries: readonly ToolEntry[]): string[] {
  try {
    ToolSet.of("thread/start", entries);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  }
  return [];
}

describe("tool", () => {
  it("sends zod's own JSON Schema of the parameters, a field with a default optional", () => {
    expect(weather.inputSchema).toEqual({
      type: "object",
      properties: { city: { type: "string", description: "the city" }, unit: { type: "string", enum: ["C", "F"], default: "C" } },
      required: ["city"],
    });
  });

  it("refuses parameters that are not a zod object, an execute that is not a function, a bad timeout", () => {
    const base = { name: "t", description: "d", execute: () => "x" };
    expect(() => tool({ ...base, parameters: z.string() as unknown as z.ZodObject })).toThrow(/parameters: must be a zod object schema/);
    expect(() => tool({ ...base, parameters: z.object({}), execute: "no" as unknown as () => string })).toThrow(InvalidInputError);
    expect(() => tool({ ...base, parameters: z.object({}), timeoutMs: 0 })).toThrow(/timeoutMs: must be a positive number/);
    expect(() => tool({ ...base, parameters: z.object({}), timeoutMs: Number.NaN })).toThrow(/timeoutMs/);
  });
});

describe("ToolSet.of", () => {
  it("builds the dynamicTools specs, namespaces included, and finds each handler by namespace and name", () => {
    const find = named("find", { deferLoading: true });
    const set = ToolSet.of("thread/start", [weather, toolNamespace({ name: "crm", description: "CRM", tools: [find, named("get_weather")] })]);
    expect(set.specs).toEqual([
      { type: "function", name: "get_weather", description: "Weather of a city", inputSchema: weather.inputSchema },
      {
        type: "namespace",
        name: "crm",
        description: "CRM",
        tools: [
          { type: "function", name: "find", description: "d", inputSchema: find.inputSchema, deferLoading: true },
          { type: "function", name: "get_weather", description: "d", inputSchema: find.inputSchema },
        ],
      },
    ]);
    expect(set.size).toBe(3);
    expect(set.find(null, "get_weather")).toBe(weather);
    expect(set.find("crm", "find")).toBe(find);
    expect(set.find("crm", "nope")).toBeUndefined();
    expect(set.find(undefined, "find")).toBeUndefined();
  });

  it("applies the server's name rules: pattern, 1–128 characters, 1–64 for a namespace", () => {
    expect(issuesOf([named("a".repeat(128)), toolNamespace({ name: "n".repeat(64), description: "d", tools: [named("x")] })])).toEqual([]);
    expect(issuesOf([named("a.b"), named(" a"), named(""), named("a".repeat(129))])).toEqual([
      'tools.0.name: "a.b": a name may contain only letters, digits, _ and - (^[a-zA-Z0-9_-]+$)',
      'tools.1.name: " a": a name may contain only letters, digits, _ and - (^[a-zA-Z0-9_-]+$)',
      "tools.2.name: a name must be a non-empty string",
      "tools.3.name: a name must be at most 128 characters (this one has 129)",
    ]);
    expect(issuesOf([toolNamespace({ name: "n".repeat(65), description: "d", tools: [named("x")] })])).toEqual(["tools.0.name: a namespace must be at most 64 characters (this one has 65)"]);
  });

  it("refuses reserved namespaces, duplicates, empty namespaces, long namespace descriptions and deferLoading outside a namespace", () => {
    expect(
      issuesOf([
        named("a"),
        named("a"),
        named("b", { deferLoading: true }),
        toolNamespace({ name: "functions", description: "d", tools: [named("x")] }),
        toolNamespace({ name: "crm", description: "x".repeat(1025), tools: [named("x"), named("x")] }),
        toolNamespace({ name: "crm", description: "d", tools: [] }),
      ]),
    ).toEqual([
      'tools.1.name: duplicate tool name "a"',
      "tools.2.deferLoading: only a tool inside a toolNamespace() can defer loading",
      'tools.3.name: namespace "functions" is reserved by the server',
      "tools.4.description: must be at most 1024 characters",
      'tools.4.tools.1.name: duplicate tool name "x" in namespace "crm"',
      'tools.5.name: duplicate namespace "crm"',
      "tools.5.tools: a namespace needs at least one tool",
    ]);
  });

  it("refuses what tool() did not make, and a tools value that is not an array", () => {
    expect(issuesOf([{ name: "x" } as unknown as ToolEntry])).toEqual(["tools.0: must be made by tool() (or toolNamespace() at the top level)"]);
    expect(() => ToolSet.of("thread/start", "x" as unknown as ToolEntry[])).toThrow("invalid thread/start input: tools: must be an array of tool() and toolNamespace(); nothing was sent");
  });

  it("allows the same name at the top level and in a namespace, and a namespace named like a tool", () => {
    expect(issuesOf([named("find"), named("crm"), toolNamespace({ name: "crm", description: "d", tools: [named("find")] })])).toEqual([]);
  });
});

describe("toContentItems", () => {
  it("makes a string one text item, keeps content items, sends other values as JSON text, and undefined as nothing", () => {
    const image = { type: "inputImage" as const, imageUrl: "data:image/png;base64,AA==" };
    expect(toContentItems("sunny")).toEqual([{ type: "inputText", text: "sunny" }]);
    expect(toContentItems(image)).toEqual([image]);
    expect(toContentItems([{ type: "inputText", text: "a" }, image])).toEqual([{ type: "inputText", text: "a" }, image]);
    expect(toContentItems({ temp: 21, tags: ["warm"] })).toEqual([{ type: "inputText", text: '{"temp":21,"tags":["warm"]}' }]);
    expect(toContentItems([1, 2])).toEqual([{ type: "inputText", text: "[1,2]" }]);
    expect(toContentItems([])).toEqual([{ type: "inputText", text: "[]" }]);
    expect(toContentItems({ type: "inputText" })).toEqual([{ type: "inputText", text: '{"type":"inputText"}' }]);
    expect(toContentItems(null)).toEqual([{ type: "inputText", text: "null" }]);
    expect(toContentItems(undefined)).toEqual([]);
  });

  it("throws a TypeError for a value JSON cannot write", () => {
    expect(() => toContentItems((() => 1) as never)).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle["self"] = cycle;
    expect(() => toContentItems(cycle as never)).toThrow(TypeError);
  });
});
