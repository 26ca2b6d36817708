import { UnsupportedServerVersionError } from "../errors/index.js";

/**
 * The app-server versions codex-rx is tested against: `minimum` inclusive, `below` exclusive. A
 * server older than `minimum` is refused at start ({@link UnsupportedServerVersionError}); a newer
 * one is accepted (unknown notifications pass through and every object is read loosely), untested.
 *
 * @example
 * ```ts
 * const { minimum, below } = SUPPORTED_SERVER_VERSIONS; // "0.169.0", "0.172.0"
 * ```
 */
export const SUPPORTED_SERVER_VERSIONS = Object.freeze({ minimum: "0.169.0", below: "0.172.0" });

/**
 * The server's version, read from the `userAgent` of its `initialize` response
 * (`<client name>/<version> (<os>; <arch>) …`).
 *
 * @param userAgent `codex.metadata.userAgent`
 * @returns the version (`"0.171.0"`), or `null` when the user agent names none
 * @example
 * ```ts
 * serverVersionOf(codex.metadata.userAgent); // "0.171.0"
 * ```
 */
export function serverVersionOf(userAgent: string): string | null {
  const m = /^[^\s/]*\/(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)(?:\s|$)/.exec(userAgent);
  return m?.[1] ?? null;
}

/** `-1`, `0` or `1`: numeric comparison of `major.minor.patch` (a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string): [number[], boolean] => {
    const [core = "", pre] = v.split("-", 2);
    return [core.split(".").map((part) => Number.parseInt(part, 10) || 0), pre !== undefined];
  };
  const [x, xPre] = parse(a);
  const [y, yPre] = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return xPre === yPre ? 0 : xPre ? -1 : 1;
}

/**
 * Refuses a server older than the supported range. A user agent without a version (a stand-in, a
 * proxy) is let through: only a version we can read and know to be too old is refused.
 *
 * @param userAgent the `initialize` response's `userAgent`
 * @throws {UnsupportedServerVersionError} when the version is below the minimum
 */
export function assertSupportedServer(userAgent: string): void {
  const version = serverVersionOf(userAgent);
  if (version !== null && compareVersions(version, SUPPORTED_SERVER_VERSIONS.minimum) < 0) {
    throw new UnsupportedServerVersionError(version, SUPPORTED_SERVER_VERSIONS.minimum);
  }
}
