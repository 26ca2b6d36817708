// codex-rx's own version, read once from its package.json (two folders up from both
// src/client/ and dist/client/), so `clientInfo.version` never drifts from the release.
import { readFileSync } from "node:fs";

function readVersion(): string {
  try {
    const raw: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    const version = typeof raw === "object" && raw !== null && "version" in raw ? raw.version : undefined;
    return typeof version === "string" ? version : "0.0.0";
  } catch {
    // A bundler that did not copy package.json: the version is only informational.
    return "0.0.0";
  }
}

let version: string | undefined;

/**
 * @internal The version in codex-rx's package.json (`"0.0.0"` when it cannot be read), read on
 * first use (a client given its own `clientInfo` never reads it), then remembered.
 *
 * @returns the version
 */
export function packageVersion(): string {
  return (version ??= readVersion());
}
