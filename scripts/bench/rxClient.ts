/**
 * codex-rx as a user would drive it: `Codex.start`, `threadStart`, then per turn `thread.turn()`,
 * deltas read from `turn.events$` with `ofMethod`, and the result from `turn.run()` (the reduce).
 * Every message goes through the zod validation at the boundary.
 */
import { Codex, ofMethod } from "../../src/index.js";
import type { BenchClient, BenchEnv, BenchThread } from "./types.js";

export class RxClient implements BenchClient {
  private codex: Codex | undefined;

  constructor(private readonly env: BenchEnv) {}

  async start(): Promise<void> {
    this.codex = await Codex.start({ codexPath: this.env.codexPath, env: { CODEX_HOME: this.env.codexHome } });
  }

  async newThread(): Promise<BenchThread> {
    if (this.codex === undefined) throw new Error("RxClient not started");
    const thread = await this.codex.threadStart();
    return {
      run: async (prompt) => {
        const turn = await thread.turn(prompt);
        let deltas = 0;
        turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe(() => {
          deltas += 1;
        });
        const result = await turn.run();
        return { deltas, text: result.finalResponse ?? "" };
      },
    };
  }

  async close(): Promise<void> {
    await this.codex?.close();
  }
}
