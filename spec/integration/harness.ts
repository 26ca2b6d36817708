import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Codex, webSocketTransport, type CodexOptions, type ProtocolSurface } from "../../src/index.js";
import { PROTOCOL_VERSION } from "../../src/protocol/generated/index.js";
import type { ProtocolError } from "../../src/errors/index.js";
import {
  codexHomeFor,
  startFakeResponses,
  startWebSocketAppServer,
  type CodexHome,
  type FakeResponses,
  type WebSocketAppServer,
} from "../../src/testing/index.js";
import { removeOnExit } from "../../src/testing/removeOnExit.js";

/** How the harness's clients reach the app-server. */
export type HarnessTransport = "stdio" | "websocket";

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /**
   * `"stdio"` (default): each `start()` spawns its own app-server child. `"websocket"`: the harness
   * runs ONE `codex app-server --listen ws://127.0.0.1:PORT` on its home, and each `start()` opens a
   * connection to it.
   */
  readonly transport?: HarnessTransport;
}

/** The real app-server pointed at a fake Responses API: only the model is fake. */
export interface Harness {
  readonly fake: FakeResponses;
  readonly home: CodexHome;
  /** A scratch working directory for threads. */
  readonly cwd: string;
  /** Every protocol error any client of this harness saw (the real server should cause none). */
  readonly protocolErrors: ProtocolError[];
  /** How clients connect. */
  readonly transport: HarnessTransport;
  /** The shared WebSocket app-server (transport `"websocket"` only). */
  readonly server: WebSocketAppServer | undefined;
  /**
   * The version of the binary under test: the pin's (`PROTOCOL_VERSION`), or that of `$CODEX_BIN`
   * when set (`npm run compat -- <version>` runs the suite so).
   */
  readonly serverVersion: string;
  /**
   * Starts a client on this home; closed by `dispose()`. Over WebSocket, `env`, `config`, `cwd`
   * and `codexPath` belong to the server and are refused here; a given `transport` is used as is.
   */
  start(options?: CodexOptions): Promise<Codex>;
  /**
   * A client the test started itself (its own transport, its own surface), closed by `dispose()`
   * with the others, before the home is removed: a server closed after that writes its lock files
   * into a home that is gone, and makes it again.
   */
  adopt<C extends Codex<ProtocolSurface>>(codex: C): C;
  dispose(): Promise<void>;
}

export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const transport = options.transport ?? "stdio";
  const fake = await startFakeResponses();
  const home = await codexHomeFor(fake);
  const cwd = await mkdtemp(path.join(os.tmpdir(), "codex-rx-cwd-"));
  removeOnExit(cwd); // also when the run is killed or crashes before dispose()
  const server = transport === "websocket" ? await startWebSocketAppServer({ env: home.env }) : undefined;
  const clients: Codex<ProtocolSurface>[] = [];
  const protocolErrors: ProtocolError[] = [];
  return {
    fake,
    home,
    cwd,
    protocolErrors,
    transport,
    server,
    serverVersion: serverVersionUnderTest(),
    async start(options: CodexOptions = {}) {
      let codex: Codex;
      if (options.transport !== undefined) codex = await Codex.start(options);
      else if (server === undefined) codex = await Codex.start({ ...options, env: { ...home.env, ...options.env } });
      else {
        const { codexPath, env, cwd, config, ...common } = options;
        const serverSide = Object.entries({ env, config, cwd, codexPath }).filter(([, value]) => value !== undefined);
        if (serverSide.length > 0) {
          throw new Error(`harness over websocket: ${serverSide.map(([key]) => key).join(", ")} apply to the server, not to a client`);
        }
        codex = await Codex.start({ ...common, transport: webSocketTransport(server.url) });
      }
      codex.protocolErrors$.subscribe((e) => protocolErrors.push(e));
      clients.push(codex);
      return codex;
    },
    adopt(codex) {
      codex.protocolErrors$.subscribe((e) => protocolErrors.push(e));
      clients.push(codex);
      return codex;
    },
    async dispose() {
      await Promise.all(clients.map((c) => c.close()));
      await server?.close();
      await fake.close();
      await home.cleanup();
      await rm(cwd, { recursive: true, force: true });
    },
  };
}

/** `PROTOCOL_VERSION`, unless `$CODEX_BIN` points at another binary: then its `--version`. */
function serverVersionUnderTest(): string {
  const bin = process.env["CODEX_BIN"];
  if (bin === undefined || bin === "") return PROTOCOL_VERSION;
  const out = execFileSync(bin, ["--version"]).toString();
  const version = /(\d+\.\d+\.\d+\S*)/.exec(out)?.[1];
  if (version === undefined) throw new Error(`CODEX_BIN=${bin} --version printed no version: ${out}`);
  return version;
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Registers the usual hooks of an integration spec: a harness created before all tests (handed
 * to `ready`, with an optional first client), disposed after all, and after each test the check
 * that the real server sent nothing our schemas reject.
 *
 * @param ready receives the harness (and the first client when `startClient` is set)
 * @param options harness options, and `startClient` to start one client up front
 */
export function useHarness(ready: (h: Harness, codex: Codex | undefined) => void, options: HarnessOptions & { readonly startClient?: boolean } = {}): void {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await createHarness(options);
    ready(harness, options.startClient ? await harness.start() : undefined);
  });
  afterAll(async () => {
    await harness?.dispose();
  });
  afterEach(() => {
    expect(harness?.protocolErrors).toEqual([]);
  });
}
