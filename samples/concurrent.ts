// Several turns on one client at once. Each TurnHandle's events$ is the one notification stream
// filtered by its turn id, so turns never see each other's events.
//   npx tsx samples/concurrent.ts
import { merge, map } from "rxjs";
import { ofMethod } from "codex-rx";
import { startSampleCodex } from "./support/sampleCodex.js";

const prompts = ["Name a prime number.", "Name a color.", "Name a planet.", "Name a river."];
await using sample = await startSampleCodex();
const { codex } = sample;

// A thread runs one turn at a time, so each concurrent turn gets its own thread.
const threads = await Promise.all(prompts.map(() => codex.threadStart({ cwd: process.cwd() })));
const turns = await Promise.all(threads.map((thread, i) => thread.turn(prompts[i] ?? "")));

// One merged view: which turn streamed how many deltas so far.
const counts = new Map<string, number>();
merge(...turns.map((turn, i) => turn.events$.pipe(ofMethod("item/agentMessage/delta"), map(() => i)))).subscribe((i) => {
  counts.set(prompts[i] ?? "", (counts.get(prompts[i] ?? "") ?? 0) + 1);
});

const results = await Promise.all(turns.map((turn) => turn.run()));
results.forEach((result, i) => {
  console.log(`${prompts[i]}\n  → ${result.finalResponse}  (${counts.get(prompts[i] ?? "") ?? 0} deltas, turn ${result.id})`);
});
