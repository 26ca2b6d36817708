import { execFileSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Codex } from "../../src/client/Codex.js";
import { PROTOCOL_VERSION } from "../../src/protocol/generated/index.js";
import { CodexBinaryNotFoundError, RequestTimeoutError, TransportClosedError } from "../../src/errors/index.js";
import { resolveCodexBinary } from "../../src/transport/resolveCodexBinary.js";
import { StdioTransport } from "../../src/transport/StdioTransport.js";
import { isAlive } from "../integration/harness.js";

const standIns = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "stand-ins");
const standIn = (name: string): string => path.join(standIns, `${name}.mjs`);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}


describe("resolveCodexBinary", () => {
  it("finds the binary of the pinned @openai/codex by default", () => {
    const binary = resolveCodexBinary({ env: {} });
    expect(binary).toMatch(/@openai[\\/]codex-[a-z0-9]+-[a-z0-9]+[\\/]vendor[\\/].+[\\/]bin[\\/]codex(\.exe)?$/);
    expect(execFileSync(binary, ["--version"]).toString()).toContain(PROTOCOL_VERSION);
  });

  it("prefers codexPath, then CODEX_BIN", () => {
    expect(resolveCodexBinary({ codexPath: standIn("silent"), env: { CODEX_BIN: standIn("crash") } })).toBe(standIn("silent"));
    expect(resolveCodexBinary({ env: { CODEX_BIN: standIn("crash") } })).toBe(standIn("crash"));
  });

  it("names what it looked for when the binary is missing", () => {
    const run = () => resolveCodexBinary({ codexPath: "/no/such/codex" });
    expect(run).toThrow(CodexBinaryNotFoundError);
    expect(run).toThrow(/\/no\/such\/codex/);
    const error = thrown(() => resolveCodexBinary({ env: { CODEX_BIN: "/missing/bin" } }));
    expect(error).toMatchObject({ name: "CodexBinaryNotFoundError", searched: ["/missing/bin"] });
    expect((error as Error).message).toContain("CODEX_BIN");
  });

  it("explains an unsupported platform", () => {
    expect(() => resolveCodexBinary({ env: {}, platform: "aix", arch: "ppc64" })).toThrow(/no binary for aix-ppc64; pass codexPath or set CODEX_BIN/);
  });
});

describe("StdioTransport and Codex.start with misbehaving processes", () => {
  it("fails Codex.start with CodexBinaryNotFoundError for a missing binary", async () => {
    await expect(Codex.start({ codexPath: "/no/such/codex" })).rejects.toBeInstanceOf(CodexBinaryNotFoundError);
  });

  it("fails Codex.start with TransportClosedError (exit code, stderr tail) when the process dies at start-up", async () => {
    const error = await Codex.start({ codexPath: standIn("crash") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportClosedError);
    expect(error).toMatchObject({ exitCode: 3, signal: null, reason: "process exited" });
    expect((error as TransportClosedError).stderrTail).toContain("failed to load config");
    expect((error as Error).message).toContain("exit code 3");
  });

  it("fails Codex.start with RequestTimeoutError when initialize never answers, and ends the process", async () => {
    const transport = new StdioTransport({ codexPath: standIn("silent") });
    const started = Codex.start({ transport, initializeTimeoutMs: 300 });
    const error = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ method: "initialize", timeoutMs: 300 });
    expect(transport.closed).toBe(true);
    expect(isAlive(transport.pid as number)).toBe(false);
  });

  it("escalates close() from stdin EOF to SIGTERM to SIGKILL, leaving no orphan", async () => {
    const transport = new StdioTransport({ codexPath: standIn("stubborn"), killTimeoutMs: 200 });
    const codex = await Codex.start({ transport });
    expect(codex.metadata.userAgent).toBe("stubborn/0");
    const pid = transport.pid as number;
    const t0 = Date.now();
    await codex.close();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(isAlive(pid)).toBe(false);
    expect(transport.stderrTail()).toContain("ignoring SIGTERM");
  });

  it("rejects send() after the process is gone", async () => {
    const transport = new StdioTransport({ codexPath: standIn("silent") });
    transport.messages$.subscribe({ error: () => undefined });
    await transport.connect();
    await transport.close();
    expect(() => transport.send("{}")).toThrow(TransportClosedError);
  });
});
