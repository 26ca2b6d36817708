// Live progress for a UI: turn.progress$ is scan(turnReducer, initialTurnState) over the turn's
// events, one immutable TurnState snapshot per notification.
//   npx tsx samples/progress.ts "Explain Rust ownership in three sentences."
import { distinctUntilChanged, filter, map } from "rxjs";
import { startSampleCodex } from "./support/sampleCodex.js";

const prompt = process.argv[2] ?? "Explain Rust ownership in three sentences.";
await using sample = await startSampleCodex();
const thread = await sample.codex.threadStart({ cwd: process.cwd() });
const turn = await thread.turn(prompt);

// Print only what is new in the streamed text: the snapshot carries the text so far.
let printed = "";
turn.progress$
  .pipe(
    map((state) => state.text),
    distinctUntilChanged(),
  )
  .subscribe((text) => {
    process.stdout.write(text.startsWith(printed) ? text.slice(printed.length) : `\n${text}`);
    printed = text;
  });

// A second, independent view of the same turn: item lifecycle and status changes.
turn.progress$
  .pipe(
    map((s) => `${s.status ?? "pending"} · ${s.items.length} item(s) done · ${Object.keys(s.inProgress).length} running`),
    distinctUntilChanged(),
  )
  .subscribe((line) => process.stderr.write(`\n[${line}]`));

// A third: the server's own error notifications, as they happen (willRetry: it retries the model).
turn.progress$
  .pipe(
    map((s) => s.errors),
    distinctUntilChanged(),
    filter((errors) => errors.length > 0),
  )
  .subscribe((errors) => {
    const last = errors[errors.length - 1];
    process.stderr.write(`\n[server: ${last?.error.message ?? ""}${last?.willRetry ? " (retrying)" : ""}]`);
  });

const result = await turn.run(); // the same events, reduced
console.log(`\n\nfinal: ${result.status}, ${result.items.length} items, ${result.usage?.total.totalTokens ?? "?"} tokens`);
