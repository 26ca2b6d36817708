import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CodexError } from "../errors/index.js";
import { toConfigArgs } from "../transport/configArgs.js";
import { ChildProcess } from "../transport/ChildProcess.js";
import { resolveCodexBinary } from "../transport/resolveCodexBinary.js";

/** Options of {@link startWebSocketAppServer}. Every field is optional. */
export interface WebSocketAppServerOptions {
  /** The binary; default: `$CODEX_BIN`, else the one shipped by the pinned `@openai/codex`. */
  readonly codexPath?: string;
  /** Merged over `process.env` for the server (`CODEX_HOME` from `codexHomeFor(fake).env`, …). */
  readonly env?: Readonly<Record<string, string>>;
  /** Nested config, passed as `--config key=value`. */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Require this capability token: it is written to a private temp file and the server gets
   * `--ws-auth capability-token --ws-token-file FILE`. Clients send it as `Authorization: Bearer`.
   */
  readonly token?: string;
  /** The port on 127.0.0.1; default: a free one (picked by binding port 0; retried on a collision). */
  readonly port?: number;
  /** How long to wait for `GET /readyz` to answer 200. Default 15,000 ms. */
  readonly readyTimeoutMs?: number;
  /** How much stderr to keep for error messages. Default 8 KiB. */
  readonly stderrTailBytes?: number;
}

/** A running `codex app-server --listen ws://127.0.0.1:PORT`; see {@link startWebSocketAppServer}. */
export interface WebSocketAppServer extends AsyncDisposable {
  /** `ws://127.0.0.1:PORT`, ready to accept connections. */
  readonly url: string;
  readonly port: number;
  /** The server's process id. */
  readonly pid: number;
  /** True until the process has exited. */
  readonly running: boolean;
  /** The last lines the server wrote to stderr. */
  stderrTail(): string;
  /**
   * Sends a signal to the server process now (e.g. `"SIGKILL"` to test a server that dies mid-turn);
   * what it leaves in its process group is killed when it exits. See `close()` to end it politely.
   *
   * @param signal default `"SIGTERM"`
   */
  kill(signal?: NodeJS.Signals): void;
  /** SIGTERM to its process group, then SIGKILL after 2 s; resolves once the process is gone and its token file removed. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts the real `codex app-server --listen ws://127.0.0.1:PORT` (optionally with capability-token
 * auth) and resolves once it accepts connections. For tests and samples of remote clients; pair it
 * with {@link startFakeResponses} and {@link codexHomeFor} to run it without credentials.
 *
 * @param options env (`CODEX_HOME`), config, token, port, binary
 * @returns the running server; `await using` or `close()` ends it
 * @throws {CodexBinaryNotFoundError} when the binary is missing
 * @throws {CodexError} when the server exits or is not ready within `readyTimeoutMs`
 * @example
 * ```ts
 * await using fake = await startFakeResponses();
 * await using home = await codexHomeFor(fake);
 * await using server = await startWebSocketAppServer({ env: home.env, token: "s3cret" });
 * await using codex = await Codex.start({ transport: webSocketTransport(server.url, { token: "s3cret" }) });
 * ```
 */
export async function startWebSocketAppServer(options: WebSocketAppServerOptions = {}): Promise<WebSocketAppServer> {
  const binary = resolveCodexBinary(options.codexPath !== undefined ? { codexPath: options.codexPath } : {});
  const tokenDir = options.token !== undefined ? await mkdtemp(join(tmpdir(), "codex-rx-ws-token-")) : undefined;
  const tokenFile = tokenDir !== undefined ? join(tokenDir, "token") : undefined;
  if (tokenFile !== undefined) await writeFile(tokenFile, options.token ?? "", { mode: 0o600 });
  const removeToken = async (): Promise<void> => {
    if (tokenDir !== undefined) await rm(tokenDir, { recursive: true, force: true });
  };
  const attempts = options.port === undefined ? 5 : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(binary, port, tokenFile, options, removeToken);
    } catch (error) {
      lastError = error;
      // Another process took the port between our probe and the server's bind: try another one.
      if (!(error instanceof PortInUseError)) break;
    }
  }
  await removeToken();
  throw lastError;
}

class PortInUseError extends CodexError {
  override readonly name: string = "PortInUseError";
}

async function launch(
  binary: string,
  port: number,
  tokenFile: string | undefined,
  options: WebSocketAppServerOptions,
  removeToken: () => Promise<void>,
): Promise<WebSocketAppServer> {
  const url = `ws://127.0.0.1:${port}`;
  const args = ["app-server", "--listen", url, ...toConfigArgs(options.config ?? {})];
  if (tokenFile !== undefined) args.push("--ws-auth", "capability-token", "--ws-token-file", tokenFile);
  const child = new ChildProcess(binary, { args, env: options.env, pipeStdio: false, stderrTailBytes: options.stderrTailBytes });

  const deadline = Date.now() + (options.readyTimeoutMs ?? 15_000);
  for (;;) {
    if (!child.running) {
      const { exitCode, signal, spawnError } = await child.exited;
      if (spawnError !== undefined) throw new CodexError(`could not start ${binary}: ${spawnError.message}`, { cause: spawnError });
      const stderr = child.stderrTail();
      const inUse = /address (already )?in use|EADDRINUSE/i.test(stderr);
      const message = `codex app-server --listen ${url} exited before it was ready (code ${exitCode ?? "?"}, signal ${signal ?? "none"})`;
      if (inUse) throw new PortInUseError(message);
      throw new CodexError(`${message}; stderr tail:\n${stderr.trim()}`);
    }
    if (await isReady(port)) break;
    if (Date.now() > deadline) {
      await child.stop(0);
      throw new CodexError(`codex app-server --listen ${url} was not ready within ${options.readyTimeoutMs ?? 15_000} ms; stderr tail:\n${child.stderrTail().trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      // SIGTERM, then SIGKILL after 2 s, to the server's whole process group.
      await child.stop(2000);
      await removeToken();
    })();
    return closing;
  };
  return {
    url,
    port,
    pid: child.pid ?? -1,
    get running() {
      return child.running;
    },
    stderrTail: () => child.stderrTail(),
    kill: (signal: NodeJS.Signals = "SIGTERM") => child.signal(signal),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** `GET /readyz` answers 200 once the listener accepts connections (the app-server's own health probe). */
async function isReady(port: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** A port that was free a moment ago: bind 127.0.0.1:0, read the port, close. */
/**
 * A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, closed): for a
 * server you are about to start, or for a "nothing listens here" test.
 *
 * @returns the port number
 * @example
 * ```ts
 * const port = await freePort();
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
