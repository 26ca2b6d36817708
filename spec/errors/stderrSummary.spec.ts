import { TransportClosedError } from "../../src/errors/index.js";
import { explainingLines, plainTail, stripAnsi } from "../../src/errors/stderrSummary.js";

// What 0.169.0 prints on stderr at start-up and when a config override is bad (recorded).
const warning = 'WARNING: proceeding, even though we could not create PATH aliases: Refusing to create helper binaries under temporary dir "/tmp"';
const bubblewrap =
  "\u001b[2m2026-12-01T22:51:04.637637Z\u001b[0m \u001b[31mERROR\u001b[0m \u001b[2mcodex_app_server\u001b[0m\u001b[2m:\u001b[0m Codex could not find bubblewrap on PATH. Install bubblewrap.";
const badConfig =
  "\u001b[2m2026-12-01T22:51:04.637359Z\u001b[0m \u001b[31mERROR\u001b[0m \u001b[2mcodex_app_server\u001b[0m\u001b[2m:\u001b[0m Invalid configuration; using defaults. /h/config.toml:2:16: unknown variant `bogus`";

describe("stderrSummary", () => {
  it("strips colour codes", () => {
    expect(stripAnsi(bubblewrap)).toBe("2026-12-01T22:51:04.637637Z ERROR codex_app_server: Codex could not find bubblewrap on PATH. Install bubblewrap.");
  });

  it("finds an Error: line with its continuation, past the start-up noise", () => {
    expect(explainingLines([warning, "Error: unknown variant `bogus`, expected one of `read-only`", "in `sandbox_mode`", "", ""].join("\n"))).toBe(
      "Error: unknown variant `bogus`, expected one of `read-only` in `sandbox_mode`",
    );
    expect(explainingLines([warning, "Error: Model provider `nope` not found", "", "Stack backtrace:", "   0: <unknown>"].join("\n"))).toBe("Error: Model provider `nope` not found");
    expect(explainingLines([warning, "error: unexpected argument '--bogus' found", "", "Usage: codex app-server"].join("\n"))).toBe("error: unexpected argument '--bogus' found");
  });

  it("falls back to the last ERROR log message that is not noise, else nothing", () => {
    expect(explainingLines([warning, badConfig, bubblewrap].join("\n"))).toBe("Invalid configuration; using defaults. /h/config.toml:2:16: unknown variant `bogus`");
    expect(explainingLines([warning, bubblewrap].join("\n"))).toBe("");
  });

  it("keeps a plain tail without noise", () => {
    expect(plainTail([warning, bubblewrap, "last words"].join("\n"))).toBe("last words");
  });

  it("TransportClosedError leads with the explanation and keeps the raw tail", () => {
    const stderrTail = [warning, bubblewrap, "Error: Model provider `nope` not found", ""].join("\n");
    const error = new TransportClosedError({ reason: "process exited", exitCode: 1, signal: null, stderrTail });
    expect(error.message).toBe("Error: Model provider `nope` not found (app-server transport closed: process exited; exit code 1; full stderr in stderrTail)");
    expect(error.stderrTail).toBe(stderrTail);
    const quiet = new TransportClosedError({ reason: "process exited", exitCode: null, signal: "SIGKILL", stderrTail: [warning, bubblewrap].join("\n") });
    expect(quiet.message).toBe("app-server transport closed (process exited; signal SIGKILL)");
  });
});
