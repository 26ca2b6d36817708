// Fault injection, the server never answers `initialize`: Codex.start must fail with a typed
// timeout in time, and must not leave the process behind, even one that ignores EOF and SIGTERM.
import { Codex, RequestTimeoutError } from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { orphan, reportFaults, tried } from "./faultTally.js";
import { since, standIn } from "./support.js";

afterAll(() => reportFaults(import.meta.url));

describe("fault injection: initialize never answered (stand-ins)", () => {
  it("fails Codex.start with RequestTimeoutError after initializeTimeoutMs and ends a silent process", async () => {
    tried("initialize never answered (the process exits on stdin EOF)");
    const transport = new StdioTransport({ codexPath: standIn("silent") });
    const t0 = performance.now();
    const error = await Codex.start({ transport, initializeTimeoutMs: 300 }).catch((e: unknown) => e);
    const ms = since(t0);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ method: "initialize", timeoutMs: 300 });
    // The timeout, plus the time to close a process that leaves on stdin EOF.
    expect(ms).toBeGreaterThanOrEqual(300);
    expect(ms).toBeLessThan(1300);
    expect(transport.closed).toBe(true);
    expect(orphan(transport.pid as number)).toBe(false);
  });

  it("fails Codex.start with RequestTimeoutError and SIGKILLs a process that ignores stdin EOF and SIGTERM", async () => {
    tried("initialize never answered (the process ignores EOF and SIGTERM)");
    const transport = new StdioTransport({ codexPath: standIn("hostile"), env: { CODEX_RX_FAULT: "mute-stubborn" }, killTimeoutMs: 100 });
    const t0 = performance.now();
    // 1 s: time enough for the stand-in's node to boot and install its SIGTERM handler even on a
    // loaded machine (a SIGTERM before that would simply kill it, and test nothing).
    const error = await Codex.start({ transport, initializeTimeoutMs: 1000 }).catch((e: unknown) => e);
    const ms = since(t0);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ method: "initialize", timeoutMs: 1000 });
    // 1000 ms timeout, 100 ms for stdin EOF, 100 ms for SIGTERM, then SIGKILL.
    expect(ms).toBeGreaterThanOrEqual(1200);
    expect(ms).toBeLessThan(2500);
    expect(transport.stderrTail()).toContain("hostile: ignoring SIGTERM");
    expect(orphan(transport.pid as number)).toBe(false);
  });
});
