/**
 * The fake Responses API for `npm run bench`, in its own process so that its CPU and memory never
 * count against the client being measured. Prints `{"url": "http://127.0.0.1:PORT/v1"}` on one
 * line once listening; exits on SIGTERM or when stdin closes.
 *
 * A prompt containing `BENCH_DELTAS=N` gets an answer of exactly N text deltas ("tok " each);
 * `BENCH_TOOLS=N` gets N calls of the client-side tool `bench_echo {n}` in one answer, and the
 * request that carries their outputs gets "ok"; any other prompt gets the short answer "ok".
 */
import { lastUserText, output, reply, startFakeResponses } from "../../src/testing/index.js";

const DELTAS = /BENCH_DELTAS=(\d+)/;
const TOOLS = /BENCH_TOOLS=(\d+)/;

const fake = await startFakeResponses({
  respond: (request) => {
    const prompt = lastUserText(request) ?? "";
    const input = (request as { input?: readonly { type?: unknown }[] }).input ?? [];
    const tools = TOOLS.exec(prompt);
    if (tools?.[1] !== undefined && input.at(-1)?.type !== "function_call_output") {
      return reply.stream(Array.from({ length: Number(tools[1]) }, (_, n) => output.functionCall("bench_echo", { n })));
    }
    const match = DELTAS.exec(prompt);
    return match?.[1] !== undefined ? reply.deltas(Number(match[1])) : reply.text("ok");
  },
});

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void fake.close().then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: fake.url })}\n`);
