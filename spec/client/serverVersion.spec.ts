import { Codex } from "../../src/client/Codex.js";
import { SUPPORTED_SERVER_VERSIONS, compareVersions, serverVersionOf } from "../../src/client/serverVersion.js";
import { UnsupportedServerVersionError } from "../../src/errors/index.js";
import { PROTOCOL_VERSION } from "../../src/protocol/generated/index.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

/** A Codex over an in-memory transport whose server answers initialize with this user agent. */
function startWith(userAgent: string): { started: Promise<Codex>; transport: MemoryTransport } {
  const transport = new MemoryTransport();
  transport.onSend = (m) => {
    if (m["method"] === "initialize") {
      queueMicrotask(() => transport.receive({ id: m["id"], result: { userAgent, codexHome: "/h", platformFamily: "unix", platformOs: "linux" } }));
    }
  };
  return { started: Codex.start({ transport }), transport };
}

describe("serverVersionOf", () => {
  it("reads the version after the client name", () => {
    expect(serverVersionOf("codex_rx/0.171.0 (Ubuntu 24.4.0; x86_64) xterm (codex_rx; 0.1.0)")).toBe("0.171.0");
    expect(serverVersionOf("my_app/0.169.0")).toBe("0.169.0");
    expect(serverVersionOf("x/0.172.0-alpha.2 (Linux)")).toBe("0.172.0-alpha.2");
  });

  it("is null when the user agent names no version", () => {
    expect(serverVersionOf("memory/0")).toBeNull();
    expect(serverVersionOf("")).toBeNull();
    expect(serverVersionOf("0.171.0")).toBeNull();
  });
});

describe("compareVersions", () => {
  it("compares numerically, a pre-release before its release", () => {
    expect(compareVersions("0.169.0", "0.171.0")).toBe(-1);
    expect(compareVersions("0.171.0", "0.169.0")).toBe(1);
    expect(compareVersions("0.100.0", "0.99.9")).toBe(1);
    expect(compareVersions("0.171.0", "0.171.0")).toBe(0);
    expect(compareVersions("0.172.0-alpha.1", "0.172.0")).toBe(-1);
  });
});

describe("SUPPORTED_SERVER_VERSIONS", () => {
  it("contains the pinned protocol", () => {
    expect(compareVersions(PROTOCOL_VERSION, SUPPORTED_SERVER_VERSIONS.minimum)).toBeGreaterThanOrEqual(0);
    expect(compareVersions(PROTOCOL_VERSION, SUPPORTED_SERVER_VERSIONS.below)).toBe(-1);
  });
});

describe("Codex.start and the server version", () => {
  it("refuses a server older than the range with UnsupportedServerVersionError and closes the transport", async () => {
    const { started, transport } = startWith("codex_rx/0.168.0 (Linux; x86_64)");
    const error: unknown = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnsupportedServerVersionError);
    expect(error).toMatchObject({ name: "UnsupportedServerVersionError", version: "0.168.0", minimum: SUPPORTED_SERVER_VERSIONS.minimum });
    expect((error as Error).message).toContain("older than the oldest version codex-rx supports");
    expect(transport.closed).toBe(true);
    // `initialized` was never sent to the refused server.
    expect(transport.sent.map((m) => (m as { method?: string }).method)).toEqual(["initialize"]);
  });

  it("accepts the minimum, a newer server and a user agent without a version", async () => {
    for (const userAgent of [`a/${SUPPORTED_SERVER_VERSIONS.minimum} (Linux)`, "a/0.180.0 (Linux)", "memory/0"]) {
      const { started } = startWith(userAgent);
      const codex = await started;
      expect(codex.metadata.userAgent).toBe(userAgent);
      await codex.close();
    }
  });
});
