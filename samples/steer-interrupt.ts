// Steering and interrupting a running turn, and cancelling one with an AbortSignal.
//   npx tsx samples/steer-interrupt.ts
import { firstValueFrom } from "rxjs";
import { AbortError, ofMethod } from "codex-rx";
import { reply } from "codex-rx/testing";
import { startSampleCodex } from "./support/sampleCodex.js";

await using sample = await startSampleCodex();
const { codex, fake } = sample;
const thread = await codex.threadStart({ cwd: process.cwd() });

// 1. Steer: add input to the turn while it runs; the model sees it at its next step.
fake?.enqueue(reply.text("Listing every prime below one hundred: 2 3 5 7 11 13 17 19 23 29 31 37 41 43 47 53 59 61 67 71 73 79 83 89 97", { delayMs: 30 }));
const steered = await thread.turn("List every prime below 100, one by one.");
await firstValueFrom(steered.events$.pipe(ofMethod("item/agentMessage/delta"))); // it is streaming now
await steered.steer("Actually, only the ones below 20.");
const afterSteer = await steered.run();
console.log("steered:", afterSteer.status, "→", afterSteer.finalResponse);

// 2. Interrupt: stop the turn; it completes with status "interrupted" and the thread stays usable.
fake?.enqueue(reply.hang({ text: "Thinking very hard about this… " }));
const long = await thread.turn("Write a 10,000-word essay.");
await firstValueFrom(long.events$.pipe(ofMethod("item/agentMessage/delta")));
await long.interrupt();
console.log("interrupted:", (await long.run()).status);

// 3. AbortSignal: the standard way to cancel. The turn is interrupted (never a process kill) and
//    run() rejects with AbortError.
fake?.enqueue(reply.hang({ text: "Working… " }));
const controller = new AbortController();
setTimeout(() => controller.abort(new Error("took too long")), 500);
try {
  await thread.run("Refactor the whole repository.", { signal: controller.signal });
} catch (error) {
  if (error instanceof AbortError) console.log("aborted:", (error.cause as Error).message);
  else throw error;
}

// The thread goes on.
console.log("still usable:", (await thread.run("Say OK.")).finalResponse);
