// Goals: once a goal is set, the app-server starts turns by itself (continuations) until the
// model marks the goal complete, or it is paused, blocked or out of budget. runGoal follows them
// all: progress$ is scan(goalReducer) over every continuation turn, live.
//   npx tsx samples/goal.ts "Write three haikus about RxJS, one per turn"
import { distinctUntilChanged, filter, map } from "rxjs";
import { reply } from "codex-rx/testing";
import { startSampleCodex } from "./support/sampleCodex.js";

const objective = process.argv[2] ?? "Write three haikus about RxJS, one per turn";
await using sample = await startSampleCodex();
// The fake model (no credentials) works for two turns, then calls update_goal {status: "complete"}.
sample.fake?.enqueue(
  reply.text("First haiku: one stream, many eyes / each turn a filtered river / nothing lost between.", { delayMs: 20 }),
  reply.text("Second haiku: scan folds every delta / the answer grows as you watch / reduce ends the turn.", { delayMs: 20 }),
  reply.completeGoal({ text: "Third haiku: the server keeps going / until the goal says complete / then silence, and rest." }),
  reply.text("All three haikus are written; the goal is complete."),
);
const thread = await sample.codex.threadStart({ cwd: process.cwd() });
const controller = new AbortController();
process.once("SIGINT", () => controller.abort()); // Ctrl-C pauses the goal on the server
const goal = await thread.runGoal(objective, { tokenBudget: 200_000, signal: controller.signal });

// One line per change of the goal: status, turns done, tokens the server counted.
goal.progress$
  .pipe(
    map((s) => `[goal ${s.status ?? "…"} · ${s.turns.length} turn(s) done · ${s.goal?.tokensUsed ?? 0} tokens]`),
    distinctUntilChanged(),
  )
  .subscribe((line) => process.stderr.write(`\n${line}\n`));

// Each continuation is an ordinary TurnHandle: stream its text as it arrives, one line per turn.
goal.turns$.subscribe((turn) => {
  let printed = "";
  turn.progress$.pipe(map((s) => s.text), filter((text) => text !== ""), distinctUntilChanged()).subscribe((text) => {
    process.stdout.write(text.startsWith(printed) && printed !== "" ? text.slice(printed.length) : `\n${text}`);
    printed = text;
  });
});

const result = await goal.run();
console.log(`\n\n${result.status} after ${result.turns.length} turns, ${result.usage.totalTokens} tokens, ${result.durationMs} ms`);
