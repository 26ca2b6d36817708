// A micro-benchmark of codex-rx's outgoing validation (src/protocol/validate.ts), in process: what
// checking a request's params costs before it is written. The short-turn rows of the main table
// already include it (codex-rx validates every turn/start); this says how much of a turn it is.
import { stableProtocol } from "../../src/protocol/stableProtocol.js";
import { validateParams } from "../../src/protocol/validate.js";

/** Microseconds per call, best of a few rounds (noise only ever adds time). */
function perCallUs(run: () => void, calls: number): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) run();
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1000 / calls);
  }
  return best;
}

/** What one check of typical params costs, in µs per call. */
export interface ValidationCost {
  readonly turnStartUs: number;
  readonly threadStartUs: number;
  readonly typoUs: number;
}

/**
 * Measures validateParams on a typical turn/start (text input, a sandbox policy, effort), a
 * thread/start, and a thread/start with a typo (the error path, with its suggestion).
 *
 * @returns µs per call
 */
export function measureValidation(): ValidationCost {
  const turn = {
    threadId: "01a20db0-0000-7000-8000-000000000000",
    input: [{ type: "text", text: "Say hello in one sentence.", text_elements: [] }],
    sandboxPolicy: { type: "workspaceWrite", networkAccess: false },
    effort: "low",
  };
  const thread = { cwd: "/repo", model: "gpt-5.4", approvalPolicy: "never", sandbox: "read-only", config: { model_reasoning_effort: "high" } };
  const typo = { modle: "gpt-5.4", cwd: "/repo" };
  for (let i = 0; i < 2000; i++) validateParams("turn/start", turn, stableProtocol); // warm up: schemas built, JIT done
  return {
    turnStartUs: perCallUs(() => validateParams("turn/start", turn, stableProtocol), 20_000),
    threadStartUs: perCallUs(() => validateParams("thread/start", thread, stableProtocol), 20_000),
    typoUs: perCallUs(() => validateParams("thread/start", typo, stableProtocol), 5_000),
  };
}

if (import.meta.url === `file://${process.argv[1] ?? ""}`) {
  const cost = measureValidation();
  console.log(`outgoing validation: turn/start ${cost.turnStartUs.toFixed(1)} µs, thread/start ${cost.threadStartUs.toFixed(1)} µs, a typo (error + suggestion) ${cost.typoUs.toFixed(1)} µs per call`);
}
