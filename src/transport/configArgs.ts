import { isPlainObject } from "../errors/index.js";

/**
 * Turns a nested config object into `--config key=value` arguments for `codex app-server`, values
 * written as TOML (strings quoted, arrays and inline tables as TOML). Nested plain objects become
 * dotted keys, so `{ model_providers: { mock: { name: "mock" } } }` gives
 * `--config model_providers.mock.name="mock"`.
 *
 * @param config the nested config; `undefined` values are skipped
 * @returns the argument list, in key order
 * @example
 * ```ts
 * toConfigArgs({ model: "o3", sandbox_workspace_write: { network_access: true } })
 * // ["--config", 'model="o3"', "--config", "sandbox_workspace_write.network_access=true"]
 * ```
 */
export function toConfigArgs(config: Readonly<Record<string, unknown>>): string[] {
  const args: string[] = [];
  const walk = (prefix: string, value: unknown): void => {
    if (value === undefined) return;
    if (isPlainObject(value) && Object.keys(value).length > 0) {
      for (const [key, inner] of Object.entries(value)) walk(`${prefix}${tomlKey(key)}.`, inner);
      return;
    }
    args.push("--config", `${prefix.slice(0, -1)}=${tomlValue(value)}`);
  };
  for (const [key, value] of Object.entries(config)) walk(`${tomlKey(key)}.`, value);
  return args;
}


/**
 * A TOML key: bare when it can be, else quoted.
 *
 * @param key the key
 * @returns `key` or `"key"`
 */
export function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/**
 * A value as TOML: JSON string escapes are valid TOML basic-string escapes, so strings reuse them.
 *
 * @param value a string, finite number, boolean, array or plain object
 * @returns its TOML text
 * @throws {TypeError} for null, non-finite numbers, functions and other values TOML cannot hold
 */
export function tomlValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "boolean") return String(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`config value ${value} cannot be written as TOML`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(", ")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlValue(v)}`).join(", ")} }`.replace("{  }", "{}");
  }
  throw new TypeError(`config value ${String(value)} (${value === null ? "null" : typeof value}) cannot be written as TOML`);
}
