// One turn, start to finish: thread.run() is a reduce over the turn's notifications.
//   npx tsx samples/run.ts "Say hello in one sentence."
import { startSampleCodex } from "./support/sampleCodex.js";

const prompt = process.argv[2] ?? "Say hello in one sentence.";
await using sample = await startSampleCodex();
const { codex } = sample;

console.log("server:", codex.metadata.userAgent);
const thread = await codex.threadStart({ cwd: process.cwd() });
const result = await thread.run(prompt);

console.log("thread:", thread.id);
console.log("turn:  ", result.id, result.status, `${result.durationMs ?? "?"} ms`);
console.log("answer:", result.finalResponse);
console.log("items: ", result.items.map((item) => item.type).join(", "));
console.log("tokens:", result.usage?.total.totalTokens ?? "n/a");
