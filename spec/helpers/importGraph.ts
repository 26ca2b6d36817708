import { readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * The modules node loads for `import` of `file` before any code runs: its static imports and
 * theirs, as `tsc` emits them (type-only imports erased, `import()` left for later), relative ones
 * followed, node's builtins and packages listed by name.
 */
export function staticImportGraph(file: string): { readonly files: ReadonlySet<string>; readonly packages: ReadonlySet<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (at: string): void => {
    if (files.has(at)) return;
    files.add(at);
    const js = ts.transpileModule(readFileSync(at, "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: at,
    }).outputText;
    for (const statement of ts.createSourceFile(at, js, ts.ScriptTarget.ES2022).statements) {
      const specifier = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier !== undefined ? statement.moduleSpecifier : undefined;
      if (specifier === undefined || !ts.isStringLiteral(specifier)) continue;
      if (!specifier.text.startsWith(".")) packages.add(specifier.text);
      else visit(path.resolve(path.dirname(at), specifier.text.replace(/\.js$/, ".ts")));
    }
  };
  visit(file);
  return { files, packages };
}
