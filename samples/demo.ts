// `npm run demo`: one streamed turn against the real codex app-server, with live progress.
// With OPENAI_API_KEY or an existing Codex login it uses the real model; otherwise the embedded
// fake Responses API server (and says so). Pass a prompt as the first argument.
import { distinctUntilChanged, filter, first, lastValueFrom, map } from "rxjs";
import { ofMethod } from "codex-rx";
import { startSampleCodex } from "./support/sampleCodex.js";

const prompt = process.argv[2] ?? "In two sentences: why are Observables a good fit for streaming model output?";
const t0 = performance.now();
await using sample = await startSampleCodex();
const { codex } = sample;
const ready = performance.now();
console.log(`codex-rx demo · ${codex.metadata.userAgent.split(" ")[0]} · model: ${sample.model} · started in ${(ready - t0).toFixed(0)} ms\n`);
console.log(`> ${prompt}\n`);

const thread = await codex.threadStart({ cwd: process.cwd() });
const turn = await thread.turn(prompt);

// Time to first token, straight off the one notification stream.
let firstDeltaMs: number | undefined;
turn.events$.pipe(ofMethod("item/agentMessage/delta"), first()).subscribe(() => (firstDeltaMs = performance.now() - ready));

// Live text: each TurnState snapshot carries the text so far; print only what is new.
let printed = "";
turn.progress$
  .pipe(
    map((s) => s.text),
    filter((text) => text.length > 0),
    distinctUntilChanged(),
  )
  .subscribe((text) => {
    process.stdout.write(text.startsWith(printed) ? text.slice(printed.length) : `\n${text}`);
    printed = text;
  });

// The server's own errors, as they happen: willRetry means it is retrying the model, not stuck.
turn.events$.pipe(ofMethod("error")).subscribe(({ params }) => {
  process.stderr.write(`\n[server: ${params.error.message}${params.willRetry ? " (retrying)" : ""}]\n`);
});

const result = await turn.run();
// The replay makes the finished turn's last snapshot available at any time.
const state = await lastValueFrom(turn.progress$);
console.log("\n");
console.log(`turn      ${result.id} · ${result.status} · ${result.durationMs ?? "?"} ms (server) · ${(performance.now() - ready).toFixed(0)} ms (client)`);
console.log(`stream    ${state.eventCount} notifications · first delta after ${firstDeltaMs?.toFixed(0) ?? "—"} ms`);
console.log(`items     ${result.items.map((i) => i.type).join(", ")}`);
console.log(`tokens    ${result.usage ? `${result.usage.total.inputTokens} in · ${result.usage.total.outputTokens} out` : "n/a"}`);
