// `ws` is loaded only when a WebSocket (or unix-socket) transport dials: a stdio user never pays
// for it. Checked in a fresh Node process, since this one has loaded everything already.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** How many modules of the `ws` package a fresh process has loaded after running `script`. */
function wsModulesAfter(script: string): number {
  const probe = `import Module from "node:module";\n${script}\nconsole.log(Object.keys(Module._cache).filter((k) => k.includes("/node_modules/ws/")).length);`;
  const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", probe], { cwd: root, encoding: "utf8" });
  return Number(out.trim().split("\n").pop());
}

describe("ws is loaded lazily", () => {
  it("is not loaded by importing codex-rx, nor by building a WebSocket transport", () => {
    expect(wsModulesAfter(`const { webSocketTransport } = await import("./src/index.ts"); webSocketTransport("ws://127.0.0.1:1");`)).toBe(0);
  });

  it("is loaded once a WebSocket transport dials", () => {
    const dial = `const { webSocketTransport } = await import("./src/index.ts"); await webSocketTransport("ws://127.0.0.1:1", { connectTimeoutMs: 2000 }).connect().catch(() => undefined);`;
    expect(wsModulesAfter(dial)).toBeGreaterThan(0);
  });
});
