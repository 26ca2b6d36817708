// The table `npm run bench` prints and writes: one row per figure, what it is checked against,
// and how a figure and its verdict are shown.
import { BURST, HEAP_TURNS, LONG_TURN_DELTAS, MOST_TURNS, OPEN_REPS, OPEN_TURNS, RUNNING_GOALS, type OpenTurnsFigures } from "./scale.js";
import { IMPORT_REPS } from "./importCost.js";
import { REPS, SDK_REPS, type ClientName, type GroupName } from "./types.js";

/** One client's figures by name (null: not measured). */
export type Figures = Record<string, number | null>;

/** What a row checks codex-rx against, relative to raw in the same run. */
export type Target =
  | { readonly kind: "ratio"; readonly max: number }
  | { readonly kind: "plusMiB"; readonly max: number }
  | { readonly kind: "plusMs"; readonly max: number }
  | { readonly kind: "equals"; readonly value: number }
  | { readonly kind: "atMostMiB"; readonly max: number }
  | { readonly kind: "atMost"; readonly max: number };

export interface Row {
  readonly label: string;
  readonly group: GroupName;
  readonly unit: "ms" | "MiB" | "" | "µs" | "KiB" | "×";
  readonly value: (figures: Readonly<Record<string, number | null>>) => number | null;
  readonly target?: Target;
  /** A figure of codex-rx alone (the raw column stays n/a). */
  readonly codexRxOnly?: boolean;
}

const key =
  (name: string) =>
  (f: Readonly<Record<string, number | null>>): number | null =>
    f[name] ?? null;
const diff =
  (a: string, b: string) =>
  (f: Readonly<Record<string, number | null>>): number | null => {
    const x = f[a];
    const y = f[b];
    return x === undefined || y === undefined || x === null || y === null ? null : x - y;
  };

/** "median 1.12× (min 1.01, max 1.30, 9 paired repetitions)". */
export function spreadNote(what: string, f: OpenTurnsFigures): string {
  const { median: mid, min, max, samples } = f.vsOneTurn;
  return `${what}: median ${mid.toFixed(2)}× (min ${min.toFixed(2)}, max ${max.toFixed(2)}, ${samples} paired repetitions)`;
}

export const ROWS: readonly Row[] = [
  // raw = a program importing rxjs and zod, codex-rx's peers: what codex-rx adds is its own cost.
  { label: `import, fresh node process (median of ${IMPORT_REPS}; raw = rxjs + zod, codex-sdk = @openai/codex-sdk)`, group: "import", unit: "ms", value: key("importMs"), target: { kind: "plusMs", max: 40 } },
  { label: `import: RSS after it (median of ${IMPORT_REPS}, no GC)`, group: "import", unit: "MiB", value: key("importRssMiB") },
  { label: "client start (spawn → initialize answered)", group: "latency", unit: "ms", value: key("startMs") },
  { label: `new thread + short turn (median of ${REPS.newThreadTurn}; SDK ${SDK_REPS.newThreadTurn})`, group: "latency", unit: "ms", value: key("newThreadTurnMs") },
  { label: `short turn, existing thread (median of ${REPS.shortTurn}; SDK ${SDK_REPS.shortTurn})`, group: "latency", unit: "ms", value: key("shortTurnMs"), target: { kind: "ratio", max: 1.05 } },
  { label: `${REPS.sequential} sequential turns (total)`, group: "latency", unit: "ms", value: key("seq20Ms") },
  { label: `${REPS.sequential} sequential turns: client CPU`, group: "latency", unit: "ms", value: key("seq20CpuMs") },
  { label: `${REPS.concurrent} concurrent turns on one client, new threads (median of ${REPS.concurrentRounds}; SDK ${SDK_REPS.concurrentRounds})`, group: "latency", unit: "ms", value: key("conc8Ms") },
  { label: `10k-delta turn: wall (median of ${REPS.deltaTurns}; SDK ${SDK_REPS.deltaTurns})`, group: "deltas", unit: "ms", value: key("deltaWallMs"), target: { kind: "ratio", max: 1.1 } },
  { label: `10k-delta turn: client CPU (median of ${REPS.deltaTurns}; SDK ${SDK_REPS.deltaTurns})`, group: "deltas", unit: "ms", value: key("deltaCpuMs"), target: { kind: "ratio", max: 1.5 } },
  { label: "10k-delta turn: client RSS before the turns (started, one short turn; no GC)", group: "deltas", unit: "MiB", value: key("preDeltaRssMiB") },
  // The absolute peak includes the import floor (rxjs, zod, the protocol), which the import rows
  // show: the target is on what the turns themselves add over the client's own RSS before them.
  { label: "10k-delta turn: client peak RSS", group: "deltas", unit: "MiB", value: key("deltaPeakRssMiB") },
  { label: "10k-delta turn: peak RSS over the client's own RSS before the turns", group: "deltas", unit: "MiB", value: diff("deltaPeakRssMiB", "preDeltaRssMiB"), target: { kind: "plusMiB", max: 10 } },
  { label: "10k-delta turn: deltas delivered (fewest of the runs)", group: "deltas", unit: "", value: key("deltasDelivered"), target: { kind: "equals", value: REPS.deltaCount } },
  { label: `${REPS.soakTurns} turns: RSS after turn ${REPS.soakCheckpoint} (after GC)`, group: "soak", unit: "MiB", value: key(`rss${REPS.soakCheckpoint}MiB`) },
  { label: `${REPS.soakTurns} turns: RSS after turn ${REPS.soakTurns} (after GC)`, group: "soak", unit: "MiB", value: key(`rss${REPS.soakTurns}MiB`) },
  {
    label: `${REPS.soakTurns} turns: RSS growth, turn ${REPS.soakCheckpoint} → ${REPS.soakTurns}`,
    group: "soak",
    unit: "MiB",
    value: diff(`rss${REPS.soakTurns}MiB`, `rss${REPS.soakCheckpoint}MiB`),
    target: { kind: "atMostMiB", max: 5 },
  },
  {
    label: `${REPS.soakTurns} turns: heap growth, turn ${REPS.soakCheckpoint} → ${REPS.soakTurns}`,
    group: "soak",
    unit: "MiB",
    value: diff(`heap${REPS.soakTurns}MiB`, `heap${REPS.soakCheckpoint}MiB`),
    target: { kind: "atMostMiB", max: 1 },
  },
  { label: `${REPS.soakTurns} turns: median turn`, group: "soak", unit: "ms", value: key("soakTurnMs") },
  ...OPEN_TURNS.map(
    (n): Row => ({
      label: `per notification, ${n.toLocaleString("en-US")} open turn${n === 1 ? "" : "s"}: client CPU (median of ${OPEN_REPS} interleaved batches; raw = JSON.parse of the same line)`,
      group: "scale",
      unit: "µs",
      value: key(`cpuUs${n}`),
      ...(n === 1 ? { target: { kind: "ratio", max: 3 } as const } : {}),
    }),
  ),
  {
    label: `per notification: ${MOST_TURNS.toLocaleString("en-US")} open turns vs 1 (codex-rx, median of ${OPEN_REPS} paired repetitions; spread in the notes)`,
    group: "scale",
    unit: "×",
    value: key(`vsOne${MOST_TURNS}`),
    target: { kind: "atMost", max: 1.3 },
    codexRxOnly: true,
  },
  {
    label: `per notification: ${MOST_TURNS.toLocaleString("en-US")} open turns, ${BURST} deltas in a row per turn, vs 1 (codex-rx, median of ${OPEN_REPS})`,
    group: "scale",
    unit: "×",
    value: key("vsOneBursts"),
    codexRxOnly: true,
  },
  {
    label: `per notification: 1 open turn + ${RUNNING_GOALS} running goals vs no goal (codex-rx, median of ${OPEN_REPS})`,
    group: "scale",
    unit: "×",
    value: key("vsOneGoals"),
    target: { kind: "atMost", max: 1.3 },
    codexRxOnly: true,
  },
  { label: `heap per open thread + turn (${HEAP_TURNS.toLocaleString("en-US")} open)`, group: "scale", unit: "KiB", value: key("heapKiB"), target: { kind: "atMost", max: 8 } },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: client CPU per notification (raw = JSON.parse)`, group: "scale", unit: "µs", value: key("longCpuUs") },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: heap kept by the finished turn`, group: "scale", unit: "MiB", value: key("longHeapMiB") },
  { label: `${(LONG_TURN_DELTAS / 1000).toFixed(0)}k-delta turn: deltas replayed`, group: "scale", unit: "", value: key("longDelivered"), target: { kind: "equals", value: LONG_TURN_DELTAS } },
  { label: `${REPS.wide} concurrent turns on one app-server, ${REPS.wideDeltas} deltas each: wall`, group: "scale", unit: "ms", value: key("wideMs") },
  { label: `${REPS.wide} concurrent turns on one app-server: client CPU`, group: "scale", unit: "ms", value: key("wideCpuMs"), target: { kind: "ratio", max: 1.5 } },
  { label: `${REPS.wide} concurrent turns on one app-server: deltas delivered`, group: "scale", unit: "", value: key("wideDeltas"), target: { kind: "equals", value: REPS.wide * REPS.wideDeltas } },
];

function format(value: number | null, unit: Row["unit"]): string {
  if (value === null) return "n/a";
  if (unit === "") return String(Math.round(value));
  if (unit === "µs" || unit === "×") return `${value.toFixed(2)}${unit === "µs" ? " µs" : "×"}`;
  if (unit === "KiB") return `${value.toFixed(1)} KiB`;
  return `${value.toFixed(unit === "MiB" ? 1 : value < 100 ? 1 : 0)} ${unit}`;
}

function verdict(target: Target | undefined, raw: number | null, rx: number | null, unit: Row["unit"]): { text: string; met: boolean | null } {
  if (target === undefined) return { text: "", met: null };
  const unknown = rx === null || (raw === null && target.kind !== "equals" && target.kind !== "atMostMiB" && target.kind !== "atMost");
  switch (target.kind) {
    case "ratio":
      return { text: `≤ ${target.max.toFixed(2)}×`, met: unknown ? null : (rx ?? 0) <= (raw ?? 0) * target.max };
    case "plusMiB":
      return { text: `≤ raw + ${target.max} MiB`, met: unknown ? null : (rx ?? 0) <= (raw ?? 0) + target.max };
    case "plusMs":
      return { text: `≤ raw + ${target.max} ms`, met: unknown ? null : (rx ?? 0) <= (raw ?? 0) + target.max };
    case "equals":
      return { text: `= ${target.value}`, met: unknown ? null : rx === target.value };
    case "atMostMiB":
      return { text: `≤ ${target.max} MiB (flat)`, met: unknown ? null : (rx ?? 0) <= target.max };
    case "atMost":
      return { text: `≤ ${target.max}${unit === "×" ? "×" : unit === "" ? "" : ` ${unit}`}`, met: rx === null ? null : rx <= target.max };
  }
}

function ratio(row: Row, raw: number | null, rx: number | null): string {
  if (raw === null || rx === null || row.unit === "×") return "n/a";
  if (row.unit === "MiB") return `${rx - raw >= 0 ? "+" : ""}${(rx - raw).toFixed(1)} MiB`;
  if (row.target?.kind === "plusMs") return `${rx - raw >= 0 ? "+" : ""}${(rx - raw).toFixed(1)} ms`;
  if (raw === 0) return "n/a";
  return `${(rx / raw).toFixed(2)}×`;
}

export function table(figures: ReadonlyMap<ClientName, Figures>, groups: readonly GroupName[]): { markdown: string; met: number; missed: string[] } {
  const lines = ["| scenario | raw | codex-rx | codex-sdk | codex-rx vs raw | target (codex-rx) | met |", "|---|--:|--:|--:|--:|---|:-:|"];
  let met = 0;
  const missed: string[] = [];
  for (const row of ROWS.filter((r) => groups.includes(r.group))) {
    const value = (client: ClientName): number | null => {
      const f = figures.get(client);
      return f === undefined ? null : row.value(f);
    };
    const [raw, rx, sdk] = [row.codexRxOnly ? null : value("raw"), value("codex-rx"), value("codex-sdk")];
    const check = verdict(row.target, raw, rx, row.unit);
    if (check.met === true) met += 1;
    if (check.met === false) missed.push(row.label);
    const mark = check.met === null ? (row.target === undefined ? "" : "?") : check.met ? "yes" : "**no**";
    lines.push(`| ${row.label} | ${format(raw, row.unit)} | ${format(rx, row.unit)} | ${format(sdk, row.unit)} | ${ratio(row, raw, rx)} | ${check.text} | ${mark} |`);
  }
  return { markdown: lines.join("\n"), met, missed };
}
