import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import * as advanced from "../src/advanced.js";
import * as main from "../src/index.js";

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "src");
/** A user reads the main entry in a minute: this many runtime values at most. */
const MAX_MAIN_RUNTIME_VALUES = 50;

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

describe("the main entry (codex-rx)", () => {
  it(`has at most ${MAX_MAIN_RUNTIME_VALUES} runtime values`, () => {
    const names = Object.keys(main);
    expect(names.length).toBeGreaterThan(0);
    expect(names.length).toBeLessThanOrEqual(MAX_MAIN_RUNTIME_VALUES);
  });

  it("shares no runtime value with codex-rx/advanced (each piece has one home)", () => {
    expect(Object.keys(advanced).filter((name) => name in main)).toEqual([]);
  });

  describe("@internal", () => {
    let program: ts.Program;
    beforeAll(() => {
      const roots = [path.join(SRC, "index.ts"), path.join(SRC, "routing", "NotificationRouter.ts")];
      program = ts.createProgram(roots, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true, skipLibCheck: true, types: [] });
    });

    it("exports no declaration tagged @internal, types included", () => {
      expect(internalExportsOf(program, path.join(SRC, "index.ts"))).toEqual([]);
    });

    it("the check finds an @internal export where there is one (NotificationRouter)", () => {
      expect(internalExportsOf(program, path.join(SRC, "routing", "NotificationRouter.ts"))).toContain("NotificationRouter (routing/NotificationRouter.ts)");
    });
  });
});
