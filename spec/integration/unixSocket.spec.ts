import { spawn, type ChildProcess } from "node:child_process";
import { lstat, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { firstValueFrom, toArray, lastValueFrom } from "rxjs";
import { Codex, TransportConnectError, unixSocketTransport, type ConnectionState } from "../../src/index.js";
import { resolveCodexBinary } from "../../src/advanced.js";
import { createHarness, isAlive, type Harness } from "./harness.js";

// `codex app-server --listen unix://PATH` speaks WebSocket over the unix socket.
let h: Harness;

let dir: string;
let socketPath: string;
let server: ChildProcess;

beforeAll(async () => {
  h = await createHarness();
  dir = await mkdtemp(path.join(os.tmpdir(), "codex-rx-sock-"));
  socketPath = path.join(dir, "app-server.sock");
  server = spawn(resolveCodexBinary({}), ["app-server", "--listen", `unix://${socketPath}`], { env: { ...process.env, ...h.home.env }, stdio: ["ignore", "ignore", "ignore"] });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await lstat(socketPath);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`no socket at ${socketPath}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
});

afterAll(async () => {
  const exited = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
  expect(isAlive(server.pid ?? -1)).toBe(false);
  // After the server: one still running on the home would write into it after its removal.
  await h.dispose();
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  expect(h.protocolErrors).toEqual([]);
});

describe("unixSocketTransport against the real app-server", () => {
  it("initializes and runs a turn over the unix socket", async () => {
    const codex = await h.start({ transport: unixSocketTransport(socketPath) });
    const states = lastValueFrom(codex.connection$.pipe(toArray()));
    expect(codex.metadata.userAgent).toMatch(/^codex_rx\//);
    const thread = await codex.threadStart({ cwd: h.cwd });
    expect((await thread.run("over a unix socket")).finalResponse).toBe("echo: over a unix socket");
    await codex.close();
    expect(await states).toEqual<ConnectionState[]>([{ state: "open" }, { state: "closed" }]);
  });

  it("takes a path relative to the working directory", async () => {
    const codex = await h.start({ transport: unixSocketTransport(path.relative(process.cwd(), socketPath)) });
    expect(codex.metadata.userAgent).toMatch(/^codex_rx\//);
    await codex.close();
  });

  it("fails with TransportConnectError ENOENT when no socket is there", async () => {
    const error = (await Codex.start({ transport: unixSocketTransport(path.join(dir, "missing.sock")) }).catch((e: unknown) => e)) as TransportConnectError;
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error.code).toBe("ENOENT");
  });

  it("reports connecting, then open, on the transport's own connection$", async () => {
    const transport = unixSocketTransport(socketPath);
    const first = firstValueFrom(transport.connection$);
    const connecting = transport.connect();
    expect(await first).toEqual({ state: "connecting" });
    await connecting;
    expect(await firstValueFrom(transport.connection$)).toEqual({ state: "open" });
    await transport.close();
  });
});
