import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Codex, type CodexOptions } from "../../src/index.js";
import type { ProtocolError } from "../../src/rpc/errors.js";
import { codexHomeFor, startFakeResponses, type CodexHome, type FakeResponses } from "../../src/testing/index.js";

/** The real app-server pointed at a fake Responses API: only the model is fake. */
export interface Harness {
  readonly fake: FakeResponses;
  readonly home: CodexHome;
  /** A scratch working directory for threads. */
  readonly cwd: string;
  /** Every protocol error any client of this harness saw (the real server should cause none). */
  readonly protocolErrors: ProtocolError[];
  /** Starts a client on this home; closed by `dispose()`. */
  start(options?: CodexOptions): Promise<Codex>;
  dispose(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const fake = await startFakeResponses();
  const home = await codexHomeFor(fake);
  const cwd = await mkdtemp(path.join(os.tmpdir(), "codex-rx-cwd-"));
  const clients: Codex[] = [];
  const protocolErrors: ProtocolError[] = [];
  return {
    fake,
    home,
    cwd,
    protocolErrors,
    async start(options: CodexOptions = {}) {
      const codex = await Codex.start({ ...options, env: { ...home.env, ...options.env } });
      codex.protocolErrors$.subscribe((e) => protocolErrors.push(e));
      clients.push(codex);
      return codex;
    },
    async dispose() {
      await Promise.all(clients.map((c) => c.close()));
      await fake.close();
      await home.cleanup();
      await rm(cwd, { recursive: true, force: true });
    },
  };
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
