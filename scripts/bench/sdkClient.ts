/**
 * The official `@openai/codex-sdk`, pointed at the same binary (`codexPathOverride`) and the same
 * CODEX_HOME (its `env` replaces the child's environment, so process.env is passed along). It
 * spawns `codex exec` per turn and reports no deltas.
 */
import { Codex } from "@openai/codex-sdk";
import type { BenchClient, BenchEnv, BenchThread } from "./types.js";

export class SdkClient implements BenchClient {
  private readonly codex: Codex;

  constructor(env: BenchEnv) {
    const childEnv: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) childEnv[key] = value;
    childEnv["CODEX_HOME"] = env.codexHome;
    this.codex = new Codex({ codexPathOverride: env.codexPath, env: childEnv });
  }

  start(): Promise<void> {
    return Promise.resolve();
  }

  newThread(): Promise<BenchThread> {
    const thread = this.codex.startThread({ skipGitRepoCheck: true });
    return Promise.resolve({
      run: async (prompt) => {
        const turn = await thread.run(prompt);
        return { deltas: null, text: turn.finalResponse };
      },
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
