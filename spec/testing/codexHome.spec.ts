import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path, { join } from "node:path";
import { fileURLToPath } from "node:url";
import { codexConfigFor, codexHomeFor, toToml } from "../../src/testing/index.js";

describe("toToml", () => {
  it("writes scalars first, then nested tables as dotted sections", () => {
    expect(toToml({ model: "m", n: 1, on: true, list: ["a", 2], features: { plugins: false }, a: { b: { "c.d": "x" } } })).toBe(
      'model = "m"\nn = 1\non = true\nlist = ["a", 2]\n\n[features]\nplugins = false\n\n[a.b]\n"c.d" = "x"\n',
    );
  });

  it("leaves out undefined keys and rejects non-finite numbers", () => {
    expect(toToml({ a: undefined, b: 1 })).toBe("b = 1\n");
    expect(() => toToml({ a: Number.NaN })).toThrow(TypeError);
  });
});

describe("codexConfigFor", () => {
  it("points the mock provider at the url with no retries, analytics, plugins and unbounded retries off", () => {
    expect(codexConfigFor("http://127.0.0.1:1/v1")).toEqual({
      model: "mock-model",
      model_provider: "mock",
      approval_policy: "never",
      sandbox_mode: "read-only",
      analytics: { enabled: false },
      features: { plugins: false, unbounded_connection_retries: false },
      model_providers: {
        mock: { name: "mock", base_url: "http://127.0.0.1:1/v1", wire_api: "responses", request_max_retries: 0, stream_max_retries: 0 },
      },
    });
  });

  it("deep-merges overrides and removes keys set to undefined", () => {
    const config = codexConfigFor("http://x/v1", {
      config: { sandbox_mode: undefined, features: { shell_tool: false } },
      provider: { stream_idle_timeout_ms: 2000 },
    });
    expect(config["sandbox_mode"]).toBeUndefined();
    expect(config["features"]).toEqual({ plugins: false, unbounded_connection_retries: false, shell_tool: false });
    expect(config["model_providers"]).toMatchObject({ mock: { base_url: "http://x/v1", stream_idle_timeout_ms: 2000 } });
  });
});

describe("codexHomeFor", () => {
  it("creates a temp dir with config.toml and extra files, and cleans it up idempotently", async () => {
    const home = await codexHomeFor({ url: "http://127.0.0.1:9/v1" }, { files: { "AGENTS.md": "be brief" } });
    expect(home.env).toEqual({ CODEX_HOME: home.path });
    const toml = await readFile(join(home.path, "config.toml"), "utf8");
    expect(toml).toBe(home.configToml);
    expect(toml).toContain('base_url = "http://127.0.0.1:9/v1"');
    expect(toml).toContain("[model_providers.mock]");
    expect(await readFile(join(home.path, "AGENTS.md"), "utf8")).toBe("be brief");
    await Promise.all([home.cleanup(), home[Symbol.asyncDispose]()]);
    expect(existsSync(home.path)).toBe(false);
  });
});

describe("codexHomeFor leaves nothing behind", () => {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

  /** Runs the fixture, returns the home it made and how it ended. */
  function run(how: string, signal?: NodeJS.Signals): Promise<{ home: string; code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", "spec/fixtures/processes/homeThenEnd.ts", how], { cwd: root, stdio: ["ignore", "pipe", "ignore"] });
      let home = "";
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (text: string) => {
        home += text;
        if (signal !== undefined && home.endsWith("\n")) {
          expect(existsSync(home.trim())).toBe(true);
          child.kill(signal);
        }
      });
      child.once("error", reject);
      child.once("close", (code, sig) => resolve({ home: home.trim(), code, signal: sig }));
    });
  }

  it.each([
    ["an uncaught error", "throw", undefined, { code: 1, signal: null }],
    ["process.exit()", "exit", undefined, { code: 3, signal: null }],
    ["SIGTERM", "wait", "SIGTERM", { code: null, signal: "SIGTERM" }],
    ["SIGINT", "wait", "SIGINT", { code: null, signal: "SIGINT" }],
  ] as const)("removes the home on %s, and the process still ends as it would have", async (_what, how, signal, ending) => {
    const ended = await run(how, signal);
    expect(ended.home).toMatch(/codex-rx-home-/);
    expect({ code: ended.code, signal: ended.signal }).toEqual(ending);
    expect(existsSync(ended.home)).toBe(false);
  }, 30_000);
});
