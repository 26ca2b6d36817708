import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { tomlKey, tomlValue } from "../transport/configArgs.js";
import { removeOnExit } from "./removeOnExit.js";

/** A TOML value as {@link toToml} writes it; `undefined` in a table means "leave the key out". */
export type TomlValue = string | number | boolean | readonly TomlValue[] | TomlTable;

/** A TOML table. */
export interface TomlTable {
  readonly [key: string]: TomlValue | undefined;
}

/** Options of {@link codexHomeFor}. */
export interface CodexHomeOptions {
  /**
   * Deep-merged over the default config (tables merge key by key; `undefined` removes a key),
   * e.g. `{ approval_policy: "on-request", features: { shell_tool: false } }`.
   */
  readonly config?: TomlTable;
  /** Merged over the `[model_providers.mock]` table, e.g. `{ stream_idle_timeout_ms: 2000 }`. */
  readonly provider?: TomlTable;
  /**
   * Where to create the directory (default `os.tmpdir()`). Codex prints a harmless
   * warning when CODEX_HOME is under a temp dir (see the FAQ).
   */
  readonly parentDir?: string;
  /** Extra files to write into the home, by relative name (e.g. `{ "AGENTS.md": "…" }`). */
  readonly files?: Readonly<Record<string, string>>;
}

/** A fresh CODEX_HOME directory; see {@link codexHomeFor}. */
export interface CodexHome extends AsyncDisposable {
  /** Absolute path of the directory. */
  readonly path: string;
  /** Environment to spawn the app-server with (merge over `process.env`). */
  readonly env: { readonly CODEX_HOME: string };
  /** The config as an object (what was written). */
  readonly config: TomlTable;
  /** The text of `config.toml`. */
  readonly configToml: string;
  /**
   * Removes the directory (sessions, logs and all). Idempotent. Without it, the directory is
   * removed when the process exits (also on an uncaught error, and on SIGINT / SIGTERM / SIGHUP
   * that the program does not handle itself).
   */
  cleanup(): Promise<void>;
}

function isTable(value: TomlValue | undefined): value is TomlTable {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function merge(base: TomlTable, over: TomlTable): TomlTable {
  const out: Record<string, TomlValue | undefined> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isTable(current) && isTable(value) ? merge(current, value) : value;
  }
  return out;
}

/**
 * The config.toml content (as an object) that points codex at a fake Responses server:
 * model `mock-model` of provider `mock`, approvals `never`, sandbox `read-only`, no retries,
 * analytics off, the plugins feature off (so codex contacts no other host at startup) and
 * `unbounded_connection_retries` off (so a turn whose provider refuses connections fails
 * instead of retrying forever; see the FAQ).
 *
 * @param baseUrl the provider base URL, e.g. `fake.url` (`http://127.0.0.1:PORT/v1`).
 * @param options `config` and `provider` overrides.
 * @returns the merged config table.
 * @example
 * ```ts
 * const config = codexConfigFor(fake.url, { config: { sandbox_mode: "workspace-write" } });
 * ```
 */
export function codexConfigFor(baseUrl: string, options: Pick<CodexHomeOptions, "config" | "provider"> = {}): TomlTable {
  const provider: TomlTable = merge(
    { name: "mock", base_url: baseUrl, wire_api: "responses", request_max_retries: 0, stream_max_retries: 0 },
    options.provider ?? {},
  );
  const defaults: TomlTable = {
    model: "mock-model",
    model_provider: "mock",
    approval_policy: "never",
    sandbox_mode: "read-only",
    analytics: { enabled: false },
    features: { plugins: false, unbounded_connection_retries: false },
    model_providers: { mock: provider },
  };
  return merge(defaults, options.config ?? {});
}

function tomlTable(table: TomlTable, path: readonly string[], out: string[]): void {
  const entries = Object.entries(table).filter((e): e is [string, TomlValue] => e[1] !== undefined);
  const scalars = entries.filter(([, v]) => !isTable(v));
  const tables = entries.filter(([, v]) => isTable(v));
  // A table holding only sub-tables needs no header of its own: `[a.b]` defines `a` too.
  const header = path.length > 0 && (scalars.length > 0 || tables.length === 0);
  if (header) out.push(`[${path.map(tomlKey).join(".")}]`);
  for (const [key, value] of scalars) out.push(`${tomlKey(key)} = ${tomlValue(value)}`);
  if (header || scalars.length > 0) out.push("");
  for (const [key, value] of tables) tomlTable(value as TomlTable, [...path, key], out);
}

/**
 * Serializes a table to TOML: scalars and arrays inline, nested tables as `[a.b]` sections.
 *
 * @param table the table.
 * @returns the TOML text.
 * @throws {TypeError} for a non-finite number
 * @example
 * ```ts
 * toToml({ model: "m", features: { plugins: false } }); // 'model = "m"\n\n[features]\nplugins = false\n'
 * ```
 */
export function toToml(table: TomlTable): string {
  const out: string[] = [];
  tomlTable(table, [], out);
  return `${out.join("\n").trimEnd()}\n`;
}

/**
 * Creates a fresh temporary CODEX_HOME whose `config.toml` points the real app-server at a
 * fake Responses server (see {@link codexConfigFor}); the provider needs no API key.
 *
 * @param server the fake (anything with a `url`) or the base URL itself.
 * @param options config overrides, parent directory, extra files.
 * @returns the home; remove it with `cleanup()` or `await using`.
 * @throws {Error} from the file system when the directory cannot be created
 * @example
 * ```ts
 * await using fake = await startFakeResponses();
 * await using home = await codexHomeFor(fake);
 * spawn(codexPath, ["app-server"], { env: { ...process.env, ...home.env } });
 * ```
 */
export async function codexHomeFor(server: { readonly url: string } | string, options: CodexHomeOptions = {}): Promise<CodexHome> {
  const baseUrl = typeof server === "string" ? server : server.url;
  const path = await mkdtemp(join(options.parentDir ?? tmpdir(), "codex-rx-home-"));
  const config = codexConfigFor(baseUrl, options);
  const configToml = toToml(config);
  // Gone at exit too (an uncaught error, Ctrl-C, SIGTERM) if nobody called cleanup(). It stays
  // registered after cleanup(): a server that wrote a last lock file into the home as it went
  // (`thread-writer-locks/`) would otherwise leave the directory behind.
  removeOnExit(path);
  let removed: Promise<void> | undefined;
  const cleanup = (): Promise<void> => {
    removed ??= rm(path, { recursive: true, force: true, maxRetries: 3 }).then(() => {
      // A helper of the server that outlived it by a few ms can still write a lock file into the
      // home; a second pass a moment later takes that too (unref'd: it never holds the process).
      setTimeout(() => void rm(path, { recursive: true, force: true }).catch(() => undefined), 250).unref();
    });
    return removed;
  };
  try {
    await writeFile(join(path, "config.toml"), configToml);
    for (const [name, content] of Object.entries(options.files ?? {})) await writeFile(join(path, name), content);
  } catch (error) {
    await cleanup();
    throw error;
  }
  return { path, env: { CODEX_HOME: path }, config, configToml, cleanup, [Symbol.asyncDispose]: cleanup };
}
