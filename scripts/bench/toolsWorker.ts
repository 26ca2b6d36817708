/**
 * The bench's "tools" group, in a fresh `node --expose-gc` process of its own (spawned by
 * scripts/bench.ts, transpiled first): `toolsWorker.js CODEX_PATH FAKE_URL`. Prints one JSON line
 * of `ToolsFigures` (types.ts).
 *
 * One client, one app-server, two threads offered the same `bench_echo` tool: on one a `tool()`
 * answers the calls (arguments parsed by zod, the registry, the answer's outcome on toolCalls$),
 * on the other a raw `handleServerRequest` callback returns the literal answer. Their turns
 * alternate; each turn makes TOOL_CALLS_PER_TURN calls. The client CPU of a turn on each, over
 * the calls it made, is the cost per round trip: the turn's own cost is the same on both.
 */
import { z } from "zod";
import { Codex, tool, type Thread } from "../../src/index.js";
import { ToolSet } from "../../src/client/tools/ToolSet.js";
import { codexHomeFor } from "../../src/testing/codexHome.js";
import { cpuUs, median } from "./stats.js";
import { TOOL_CALLS_PER_TURN, TOOL_TURNS, type ToolsFigures } from "./types.js";

const [codexPath, fakeUrl] = process.argv.slice(2);
if (codexPath === undefined || fakeUrl === undefined) throw new Error("usage: toolsWorker.js CODEX_PATH FAKE_URL");
const home = await codexHomeFor(fakeUrl);
let rawAnswers = 0;
const codex = await Codex.start({
  codexPath,
  env: home.env,
  experimentalApi: true,
  handleServerRequest: (request) => {
    if (request.method !== "item/tool/call") return undefined;
    rawAnswers += 1;
    const { n } = (request.params as { arguments: { n: number } }).arguments;
    return { contentItems: [{ type: "inputText", text: `echo ${n}` }], success: true };
  },
});
let toolAnswers = 0;
const echo = tool({
  name: "bench_echo",
  description: "Echoes n.",
  parameters: z.object({ n: z.number() }),
  execute: ({ n }) => ((toolAnswers += 1), `echo ${n}`),
});
try {
  const withTool = await codex.threadStart({ tools: [echo] });
  const withRaw = await codex.threadStart({ tools: [echo] });
  // The same tools on the server; on this client no handler for the raw thread, so its calls fall
  // through to the raw callback (the registry's one map lookup is all of it that runs).
  codex["context"].tools.attach(withRaw.id, ToolSet.of("bench", []));
  const prompt = `BENCH_TOOLS=${TOOL_CALLS_PER_TURN}`;
  const turnCpuMs = async (thread: Thread): Promise<number> => {
    const since = process.cpuUsage();
    await thread.run(prompt);
    return cpuUs(since) / 1000;
  };
  await turnCpuMs(withTool);
  await turnCpuMs(withRaw);
  const raw: number[] = [];
  const tools: number[] = [];
  for (let i = 0; i < TOOL_TURNS; i += 1) {
    // Alternating, first one then the other: a busy machine slows both alike.
    if (i % 2 === 0) {
      raw.push(await turnCpuMs(withRaw));
      tools.push(await turnCpuMs(withTool));
    } else {
      tools.push(await turnCpuMs(withTool));
      raw.push(await turnCpuMs(withRaw));
    }
  }
  const expected = (TOOL_TURNS + 1) * TOOL_CALLS_PER_TURN;
  const figures: ToolsFigures = {
    rawCpuMsPerCall: (median(raw) ?? 0) / TOOL_CALLS_PER_TURN,
    toolCpuMsPerCall: (median(tools) ?? 0) / TOOL_CALLS_PER_TURN,
    correct: rawAnswers === expected && toolAnswers === expected,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
} finally {
  await codex.close();
  await home.cleanup();
}
