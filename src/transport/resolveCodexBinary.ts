import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { CodexBinaryNotFoundError } from "../errors/index.js";

const TRIPLES: Readonly<Record<string, string>> = {
  "linux-x64": "x86_64-unknown-linux-musl",
  "linux-arm64": "aarch64-unknown-linux-musl",
  "android-x64": "x86_64-unknown-linux-musl",
  "android-arm64": "aarch64-unknown-linux-musl",
  "darwin-x64": "x86_64-apple-darwin",
  "darwin-arm64": "aarch64-apple-darwin",
  "win32-x64": "x86_64-pc-windows-msvc",
  "win32-arm64": "aarch64-pc-windows-msvc",
};

/** Where to look for the binary; every field defaults to the current process. */
export interface ResolveCodexBinaryOptions {
  /** An explicit path; wins over everything. */
  readonly codexPath?: string;
  /** Environment to read `CODEX_BIN` from. Default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly arch?: string;
}

/**
 * Finds the `codex` binary: `codexPath`, else `$CODEX_BIN`, else the binary shipped by the pinned
 * `@openai/codex` package through its platform package (`@openai/codex-<platform>-<arch>`), the
 * same lookup as the package's own launcher.
 *
 * @param options overrides (explicit path, env, platform)
 * @returns the absolute path of an existing executable file
 * @throws {CodexBinaryNotFoundError} naming every place that was looked at
 * @example
 * ```ts
 * const bin = resolveCodexBinary(); // …/node_modules/@openai/codex-linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex
 * ```
 */
export function resolveCodexBinary(options: ResolveCodexBinaryOptions = {}): string {
  const env = options.env ?? process.env;
  const explicit = options.codexPath ?? env["CODEX_BIN"];
  if (explicit !== undefined && explicit !== "") {
    const resolved = path.resolve(explicit);
    if (existsSync(resolved)) return resolved;
    throw new CodexBinaryNotFoundError(
      `The codex binary given ${options.codexPath !== undefined ? "as codexPath" : "in CODEX_BIN"} does not exist.`,
      [resolved],
    );
  }
  const platform = options.platform ?? process.platform;
  const arch = options.arch ?? process.arch;
  const triple = TRIPLES[`${platform}-${arch}`];
  if (triple === undefined) {
    throw new CodexBinaryNotFoundError(`@openai/codex ships no binary for ${platform}-${arch}; pass codexPath or set CODEX_BIN.`, []);
  }
  const exe = platform === "win32" ? "codex.exe" : "codex";
  const platformPackage = `@openai/codex-${platform === "android" ? "linux" : platform}-${arch}`;
  const searched: string[] = [];
  const require = createRequire(import.meta.url);
  let codexRoot: string | undefined;
  try {
    codexRoot = path.dirname(require.resolve("@openai/codex/package.json"));
  } catch {
    searched.push("@openai/codex/package.json (not installed)");
  }
  const roots: string[] = [];
  try {
    // Resolve the platform package from @openai/codex itself, as its launcher does; it may be nested or hoisted.
    const from = codexRoot !== undefined ? createRequire(path.join(codexRoot, "package.json")) : require;
    roots.push(path.join(path.dirname(from.resolve(`${platformPackage}/package.json`)), "vendor"));
  } catch {
    searched.push(`${platformPackage}/package.json (optional dependency not installed)`);
  }
  if (codexRoot !== undefined) roots.push(path.join(codexRoot, "vendor"));
  for (const root of roots) {
    const candidate = path.join(root, triple, "bin", exe);
    searched.push(candidate);
    if (existsSync(candidate)) return candidate;
  }
  throw new CodexBinaryNotFoundError(
    `Could not find the codex binary for ${platform}-${arch}. Install the pinned @openai/codex (with optional dependencies), or pass codexPath / set CODEX_BIN.`,
    searched,
  );
}
