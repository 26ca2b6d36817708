// A terminal progress UI driven only by turn.progress$ (one TurnState snapshot per notification):
// the streamed text, the item list with a status icon per item, token usage, elapsed time and a
// spinner. Redrawn in place with ANSI escape codes at most every 50 ms; plain lines when stdout is
// not a terminal (a pipe, a CI log). On the fake model the turn runs a real shell command.
//   npx tsx samples/tui.ts "What is in the samples folder?"
//   npx tsx samples/tui.ts | cat          # the plain-line mode
import { auditTime, combineLatest, filter, interval, lastValueFrom, map, startWith, takeUntil } from "rxjs";
import { startSampleCodex } from "./support/sampleCodex.js";
import { toProgressView, type ItemPhase, type ItemView, type ProgressView } from "./support/progressView.js";
import { useScriptedTurn } from "./support/scriptedTurn.js";

const prompt = process.argv[2] ?? "What is in the samples folder?";
const out = process.stdout;
const tty = out.isTTY === true;
const color = tty && process.env["NO_COLOR"] === undefined;

// --- small ANSI toolkit -------------------------------------------------------------------------
const ESC = "\x1b[";
const sgr = (code: string) => (text: string) => (color ? `${ESC}${code}m${text}${ESC}0m` : text);
const bold = sgr("1");
const dim = sgr("2");
const red = sgr("31");
const green = sgr("32");
const yellow = sgr("33");
const cyan = sgr("36");
const SPINNER = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
const HIDE_CURSOR = `${ESC}?25l`;
const SHOW_CURSOR = `${ESC}?25h`;

/** Cuts a line with escape codes to `width` visible characters (escape codes do not count). */
function clip(line: string, width: number): string {
  let visible = 0;
  let result = "";
  for (const token of line.match(/\x1b\[[0-9;?]*[A-Za-z]|[\s\S]/gu) ?? []) {
    if (token.startsWith("\x1b")) result += token;
    else if (visible < width) {
      result += token;
      visible += 1;
    }
  }
  return color ? `${result}${ESC}0m` : result;
}

/** Wraps plain text to `width` columns, keeping its own line breaks. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/(?<=\s)/)) {
      if (line.length + word.trimEnd().length > width && line.length > 0) {
        lines.push(line.trimEnd());
        line = "";
      }
      line += word;
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

// --- what one frame shows ---------------------------------------------------------------------------
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function icon(phase: ItemPhase, tick: number): string {
  switch (phase) {
    case "running":
      return yellow(SPINNER[tick % SPINNER.length] ?? "…");
    case "done":
      return green("✓");
    case "failed":
      return red("✗");
    case "declined":
      return red("⊘");
    case "unfinished":
      return yellow("◌");
  }
}

function itemLine(item: ItemView, tick: number): string {
  const note = item.phase === "running" ? yellow("running…") : dim(item.detail);
  return `  ${icon(item.phase, tick)} ${cyan(item.type.padEnd(17))} ${item.label}  ${note}`;
}

function usageText(view: ProgressView): string {
  const u = view.usage;
  return u === null ? "no usage yet" : `${u.total} tokens (${u.input} in · ${u.output} out)`;
}

function statusLine(view: ProgressView, tick: number, elapsedMs: number): string {
  const mark = view.completed ? (view.status === "completed" ? green("✓") : red("✗")) : yellow(SPINNER[tick % SPINNER.length] ?? "…");
  return `${mark} ${bold(view.status)}   ${seconds(elapsedMs)}   ${dim("·")}   ${usageText(view)}   ${dim("·")}   ${view.eventCount} events`;
}

/** The whole frame; `textLines` caps the streamed text to its last lines (live) or not at all (final). */
function frame(view: ProgressView, tick: number, elapsedMs: number, width: number, textLines: number): string[] {
  const text = wrap(view.text, Math.max(20, width - 4));
  const shown = text.length > textLines ? ["…", ...text.slice(text.length - textLines + 1)] : text;
  const lines = [
    `${bold("codex-rx")} ${dim(`· terminal progress · ${sample.model} model`)}`,
    `${dim(">")} ${prompt}`,
    "",
    statusLine(view, tick, elapsedMs),
    "",
    ...view.items.map((item) => itemLine(item, tick)),
    "",
    dim(`  ─ text ${"─".repeat(Math.max(0, Math.min(width, 80) - 10))}`),
    ...shown.map((line) => `  ${line}`),
  ];
  for (const e of view.serverErrors.slice(-3)) lines.push(yellow(`  server: ${e.message}${e.willRetry ? " (retrying)" : ""}`));
  if (view.error !== null) lines.push("", red(`  error: ${view.error}`));
  return lines.map((line) => clip(line, width));
}

// --- the turn -------------------------------------------------------------------------------------
await using sample = await startSampleCodex();
useScriptedTurn(sample.fake); // fake model only: a commentary, a shell command, then the answer
const thread = await sample.codex.threadStart({ cwd: process.cwd() });
const t0 = performance.now();
const turn = await thread.turn(prompt);
const elapsed = (): number => performance.now() - t0;

// Ctrl-C once: interrupt the turn (the UI then shows it end "interrupted"); twice: leave at once.
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts += 1;
  if (interrupts > 1) {
    if (tty) out.write(SHOW_CURSOR);
    process.exit(130);
  }
  turn.interrupt().catch(() => undefined);
});

const views$ = turn.progress$.pipe(map(toProgressView));
const completed$ = views$.pipe(filter((view) => view.completed));
let final: ProgressView;

if (tty) {
  // Live mode: every snapshot and every spinner tick make a frame; auditTime keeps the latest of
  // each 50 ms window, so a burst of thousands of deltas costs at most 20 redraws a second.
  out.write(HIDE_CURSOR);
  process.on("exit", () => out.write(SHOW_CURSOR)); // even when something below throws
  let height = 0;
  const draw = (lines: readonly string[]): void => {
    const up = height > 0 ? `${ESC}${height}A\r` : "";
    // 2026: synchronized update (terminals that know it paint the frame at once; others ignore it).
    out.write(`${ESC}?2026h${up}${ESC}J${lines.join("\n")}\n${ESC}?2026l`);
    height = lines.length;
  };
  const ticks$ = interval(80).pipe(startWith(0));
  await new Promise<void>((resolve, reject) => {
    combineLatest([views$, ticks$])
      .pipe(auditTime(50), takeUntil(completed$))
      .subscribe({
        next: ([view, tick]) => {
          const rows = out.rows > 0 ? out.rows : 24;
          const fixed = 9 + view.items.length; // the frame's lines besides the text
          draw(frame(view, tick, elapsed(), out.columns > 0 ? out.columns : 80, Math.max(3, rows - 1 - fixed)));
        },
        complete: resolve,
        error: reject,
      });
  });
  // The final frame: the last snapshot (progress$ replays, so it is always there), text in full.
  final = await lastValueFrom(views$);
  draw(frame(final, 0, elapsed(), out.columns > 0 ? out.columns : 80, Number.POSITIVE_INFINITY));
  out.write(SHOW_CURSOR);
} else {
  // Plain mode: one line per change worth a line (status, item started or finished, usage).
  const phases = new Map<string, ItemPhase>();
  let status = "";
  let usage = "";
  let errorsShown = 0;
  const stamp = (): string => `[${seconds(elapsed()).padStart(7)}]`;
  final = await lastValueFrom(
    views$.pipe(
      map((view) => {
        const lines: string[] = [];
        if (view.status !== status) lines.push(`${stamp()} status ${(status = view.status)}`);
        for (const item of view.items) {
          if (phases.get(item.id) === item.phase) continue;
          phases.set(item.id, item.phase);
          const mark = { running: "…", done: "✓", failed: "✗", declined: "⊘", unfinished: "◌" }[item.phase];
          const what = item.phase === "running" ? `${item.type} started` : item.type;
          lines.push([stamp(), mark, what, item.label, item.detail && `(${item.detail})`].filter(Boolean).join(" "));
        }
        if (view.usage !== null && usageText(view) !== usage) lines.push(`${stamp()} ${(usage = usageText(view))}`);
        for (const e of view.serverErrors.slice(errorsShown)) lines.push(`${stamp()} ! server: ${e.message}${e.willRetry ? " (retrying)" : ""}`);
        errorsShown = view.serverErrors.length;
        if (lines.length > 0) out.write(`${lines.join("\n")}\n`);
        return view;
      }),
    ),
  );
  out.write(`\n${final.text}\n`);
}

// The summary, from the same last snapshot.
const ok = final.status === "completed";
const server = final.durationMs === null ? "" : ` (server ${final.durationMs} ms)`;
out.write(
  `\n${ok ? green("✓") : red("✗")} ${bold(final.status)} in ${seconds(elapsed())}${server} · ${final.items.length} items · ` +
    `${usageText(final)} · ${final.eventCount} events\n`,
);
if (!ok) process.exitCode = 1;
