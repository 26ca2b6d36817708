import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as advanced from "../src/advanced.js";
import * as errors from "../src/errors/index.js";
import * as main from "../src/index.js";
import * as testing from "../src/testing/index.js";
import { staticImportGraph } from "./helpers/importGraph.js";

// The entry points are split by audience, and these tests hold the rule, not a count:
// - `codex-rx` has what an application needs: the facade class, every error class (so `instanceof`
//   works from it alone), and functions (inputs, operators, reducers, retries, transports a user
//   picks), plus a few plain values of fixed kinds (presets, reducer seeds), and the protocol's types;
// - `codex-rx/advanced` has building blocks for code below the facade: functions and classes, the
//   protocol's zod schemas, no errors, no tuning constants;
// - `codex-rx/testing` is the kit;
// - no entry publishes an UPPER_CASE constant (a default or a wire string is a promise to keep),
//   and no runtime value has two homes;
// - `import "codex-rx"` loads neither the connection's machinery nor the generated schemas: the
//   first `Codex.start` does (measured by the bench's import group; held here as a rule).

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "src");
type Entry = Readonly<Record<string, unknown>>;
const entries: ReadonlyArray<[string, Entry]> = [
  ["codex-rx", main],
  ["codex-rx/advanced", advanced],
  ["codex-rx/testing", testing],
];

const isClass = (v: unknown): v is abstract new (...args: never[]) => unknown => typeof v === "function" && /^class[\s{]/.test(Function.prototype.toString.call(v));
const isErrorClass = (v: unknown): boolean => isClass(v) && (v === errors.CodexError || v.prototype instanceof errors.CodexError);
const namesWhere = (entry: Entry, keep: (name: string, value: unknown) => boolean): string[] => Object.entries(entry).filter(([n, v]) => keep(n, v)).map(([n]) => n);

/** A preset: a plain object whose values are all strings (`ApprovalMode.autoReview`, `Sandbox.readOnly`). */
const isPreset = (v: unknown): boolean => typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).length > 0 && Object.values(v).every((x) => typeof x === "string");
/** A reducer's seed: `initialXState` beside an exported `xReducer`. */
const isSeedOf = (entry: Entry, name: string): boolean => {
  const match = /^initial(\w+)State$/.exec(name);
  return match !== null && typeof entry[`${match[1]![0]!.toLowerCase()}${match[1]!.slice(1)}Reducer`] === "function";
};

describe("every entry point", () => {
  it.each(entries)("%s publishes no UPPER_CASE constant", (_name, entry) => {
    expect(namesWhere(entry, (n) => /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(n))).toEqual([]);
  });

  it("the UPPER_CASE check catches one (the generated protocol has PROTOCOL_VERSION under its namespace)", () => {
    expect(namesWhere(advanced.protocol as Entry, (n) => /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(n))).toContain("PROTOCOL_VERSION");
  });

  it("no runtime value has two homes", () => {
    const seen = new Map<unknown, string>();
    const twice: string[] = [];
    for (const [entryName, entry] of entries) {
      for (const [name, value] of Object.entries(entry)) {
        const first = seen.get(value);
        if (first !== undefined) twice.push(`${entryName}.${name} = ${first}`);
        else seen.set(value, `${entryName}.${name}`);
      }
    }
    expect(twice).toEqual([]);
  });
});

describe("the main entry (codex-rx)", () => {
  it("has every error class codex-rx defines, so instanceof works from the main entry alone", () => {
    const defined = namesWhere(errors as Entry, (_n, v) => isErrorClass(v));
    expect(defined).toEqual(expect.arrayContaining(["CodexError", "InvalidParamsError", "MethodNotFoundError", "HeartbeatTimeoutError"]));
    expect(defined.filter((n) => !(n in main))).toEqual([]);
  });

  it("its only classes are the facade (Codex) and the errors: the handles come from the facade and are types", () => {
    expect(namesWhere(main, (_n, v) => isClass(v) && !isErrorClass(v))).toEqual(["Codex"]);
  });

  it("its plain values are presets or reducer seeds; everything else is a function", () => {
    const values = namesWhere(main, (_n, v) => typeof v !== "function");
    const unexplained = values.filter((n) => !(isPreset(main[n as keyof typeof main]) || isSeedOf(main, n)));
    expect(unexplained).toEqual([]);
    expect(values).toEqual(expect.arrayContaining(["ApprovalMode", "Sandbox", "initialTurnState"]));
  });
});

describe("codex-rx/advanced", () => {
  it("has no error class (they are on the main entry)", () => {
    expect(namesWhere(advanced, (_n, v) => isErrorClass(v))).toEqual([]);
  });

  it("has building blocks only: functions and classes, reducer seeds and the protocol's schemas; no tuning constants", () => {
    expect(namesWhere(advanced, (n, v) => typeof v !== "function" && !isSeedOf(advanced, n) && n !== "protocol")).toEqual([]);
    expect(typeof advanced.protocol.ThreadItemSchema.safeParse).toBe("function");
  });
});

describe("codex-rx/testing", () => {
  it("has no error class and no plain value other than builder namespaces (reply, output, turnStep)", () => {
    expect(namesWhere(testing, (_n, v) => isErrorClass(v))).toEqual([]);
    const plain = namesWhere(testing, (_n, v) => typeof v !== "function");
    expect(plain.filter((n) => !Object.values(testing[n as keyof typeof testing] as object).every((x) => typeof x === "function"))).toEqual([]);
  });
});

/** Every exported declaration of `file` (following re-exports to where it is declared) that carries `@internal`. */
function internalExportsOf(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) throw new Error(`${file} is not in the program`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) throw new Error(`${file} is not a module`);
  const found: string[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    for (const declaration of symbol.declarations ?? []) {
      const tagged = ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal");
      // A `export const x = …` carries its TSDoc on the statement, two parents up.
      const statement = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : undefined;
      const statementTagged = statement !== undefined && ts.getJSDocTags(statement).some((tag) => tag.tagName.text === "internal");
      if (tagged || statementTagged) found.push(`${exported.name} (${path.relative(SRC, declaration.getSourceFile().fileName)})`);
    }
  }
  return found;
}

describe("@internal", () => {
  let program: ts.Program;
  const files = ["index.ts", "advanced.ts", path.join("testing", "index.ts")].map((f) => path.join(SRC, f));
  beforeAll(() => {
    const roots = [...files, path.join(SRC, "routing", "NotificationRouter.ts")];
    program = ts.createProgram(roots, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] });
  });

  it.each(files)("%s exports no declaration tagged @internal, types included", (file) => {
    expect(internalExportsOf(program, file)).toEqual([]);
  });

  it("the check finds an @internal export where there is one (NotificationRouter)", () => {
    expect(internalExportsOf(program, path.join(SRC, "routing", "NotificationRouter.ts"))).toContain("NotificationRouter (routing/NotificationRouter.ts)");
  });
});

describe("what `import` loads", () => {
  const relative = (files: ReadonlySet<string>): string[] => [...files].map((f) => path.relative(SRC, f).split(path.sep).join("/"));
  // The machinery a connection needs, loaded by Codex.start (`import("./connect.js")`) and the
  // schemas, loaded with it (`loadClientProtocol`): most of what loading codex-rx costs.
  const deferred = (f: string): boolean =>
    f.startsWith("protocol/generated/") ||
    ["client/connect.ts", "rpc/RpcConnection.ts", "transport/StdioTransport.ts", "routing/NotificationRouter.ts", "client/ConnectionContext.ts", "client/Thread.ts", "protocol/validate.ts"].includes(f);

  it("codex-rx loads neither the connection's machinery nor the generated schemas, nor node:child_process or node:crypto", () => {
    const { files, packages } = staticImportGraph(path.join(SRC, "index.ts"));
    expect(relative(files).filter(deferred)).toEqual([]);
    expect([...packages].filter((p) => p === "node:child_process" || p === "node:crypto")).toEqual([]);
  });

  it("the check sees them where they are loaded up front (codex-rx/advanced)", () => {
    const { files, packages } = staticImportGraph(path.join(SRC, "advanced.ts"));
    expect(relative(files).filter(deferred)).toEqual(expect.arrayContaining(["protocol/generated/schemas.ts", "rpc/RpcConnection.ts", "transport/StdioTransport.ts"]));
    expect([...packages]).toContain("node:child_process");
  });
});
