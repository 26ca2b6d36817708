/**
 * `npm run compat -- <version> [jest args…]`: runs the integration suite (spec/integration) against
 * another published `@openai/codex`. It installs `@openai/codex@<version>` into a fresh temp
 * directory, points the suite at that binary through `CODEX_BIN`, and removes the directory
 * afterwards (also on Ctrl-C). The exit code is jest's.
 *
 * Extra arguments go to jest, e.g. `npm run compat -- 0.169.0 --testPathIgnorePatterns login`
 * (the login spec binds the fixed port 127.0.0.1:1455).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SUPPORTED_SERVER_VERSIONS } from "../src/client/serverVersion.js";
import { PROTOCOL_VERSION } from "../src/protocol/generated/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** The binary inside a directory where `@openai/codex` was installed (the platform package's). */
function binaryIn(dir: string): string {
  // The layout of @openai/codex's platform packages (as in src/transport/resolveCodexBinary.ts).
  const triple: Readonly<Record<string, string>> = {
    "linux-x64": "x86_64-unknown-linux-musl",
    "linux-arm64": "aarch64-unknown-linux-musl",
    "darwin-x64": "x86_64-apple-darwin",
    "darwin-arm64": "aarch64-apple-darwin",
    "win32-x64": "x86_64-pc-windows-msvc",
    "win32-arm64": "aarch64-pc-windows-msvc",
  };
  const t = triple[`${process.platform}-${process.arch}`];
  if (t === undefined) throw new Error(`@openai/codex ships no binary for ${process.platform}-${process.arch}`);
  const exe = process.platform === "win32" ? "codex.exe" : "codex";
  return path.join(dir, "node_modules", "@openai", `codex-${process.platform}-${process.arch}`, "vendor", t, "bin", exe);
}

async function main(): Promise<number> {
  const [version, ...jestArgs] = process.argv.slice(2);
  if (version === undefined || !/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) {
    console.error("usage: npm run compat -- <version> [jest args…]   e.g. npm run compat -- 0.169.0");
    return 2;
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "codex-rx-compat-"));
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true });
  const onSignal = (signal: NodeJS.Signals): void => {
    void cleanup().finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  try {
    console.log(`compat: installing @openai/codex@${version} into ${dir}`);
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "codex-rx-compat", private: true }));
    execFileSync(npm, ["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", `@openai/codex@${version}`], { cwd: dir, stdio: "inherit" });
    const bin = binaryIn(dir);
    const reported = execFileSync(bin, ["--version"]).toString().trim();
    const { minimum, below } = SUPPORTED_SERVER_VERSIONS;
    console.log(`compat: ${reported} (pinned ${PROTOCOL_VERSION}, supported >=${minimum} <${below}); running spec/integration`);
    const jest = path.join(root, "node_modules", "jest", "bin", "jest.js");
    const code = await new Promise<number>((resolve) => {
      const child = spawn(process.execPath, ["--experimental-vm-modules", jest, "spec/integration", ...jestArgs], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, CODEX_BIN: bin },
      });
      child.on("exit", (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
    });
    console.log(`compat: @openai/codex@${version}: ${code === 0 ? "PASS" : `FAIL (jest exit ${code})`}`);
    return code;
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await cleanup();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
