/**
 * One measuring process of the "exec" group: `node execWorker.js <raw|raw-readline|codex-rx> CODEX_PATH CODEX_HOME
 * BYTES`. Starts its own app-server, runs a small warm-up command, then the measured one: a command
 * writing BYTES to stdout (multi-byte UTF-8 text, so characters split across chunks), streamed
 * back as `command/exec/outputDelta` notifications. Prints one JSON line: the client's CPU and wall
 * time from the request to the exit, and what it received (bytes, decoded characters).
 *
 * raw = child_process + newline framing by hand (indexOf on the bytes) + JSON.parse + base64 decode + a streaming
 * TextDecoder per stream: the least a client must do to deliver the same text. raw-readline = the
 * same with `readline` framing, as the bench's other raw client. codex-rx = `codex.exec$` (zod validation of
 * every notification, the keyed route, the chunk objects), reduced to the same two counts.
 */
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { cpuUs } from "./stats.js";

/** What one run measured. */
export interface ExecRun {
  readonly cpuMs: number;
  readonly wallMs: number;
  readonly bytes: number;
  readonly chars: number;
  readonly exitCode: number;
}

/** The measured command: `yes` of a line with 2-, 3- and 4-byte characters, cut at `bytes`. */
export function execArgv(bytes: number): string[] {
  return ["sh", "-c", `yes 'héllo wörld ✓ codex-rx 🚀 0123456789' | head -c ${bytes}`];
}

interface Counts {
  bytes: number;
  chars: number;
}

/**
 * Calls `onLine` for each newline-terminated line of `stream`: with readline (as the bench's other
 * raw client), or by hand (indexOf on the bytes, each line decoded once: the cheapest).
 */
function lines(stream: NodeJS.ReadableStream & { on(event: "data", listener: (chunk: Buffer) => void): unknown }, framing: "readline" | "indexOf", onLine: (line: string) => void): void {
  if (framing === "readline") {
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", onLine);
    return;
  }
  // Newlines found in the bytes, each line decoded once; only a line cut between chunks is joined.
  let parts: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl >= 0) {
      if (parts.length > 0) {
        parts.push(chunk.subarray(start, nl));
        onLine(Buffer.concat(parts).toString("utf8"));
        parts = [];
      } else onLine(chunk.toString("utf8", start, nl));
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) parts.push(chunk.subarray(start));
  });
}

async function rawRuns(codexPath: string, codexHome: string, sizes: readonly number[], framing: "readline" | "indexOf"): Promise<ExecRun[]> {
  const child = spawn(codexPath, ["app-server"], { env: { ...process.env, CODEX_HOME: codexHome }, stdio: ["pipe", "pipe", "pipe"] });
  child.stderr.resume();
  const waiting = new Map<number, (result: { exitCode?: number }) => void>();
  let sink: ((params: { processId: string; stream: "stdout" | "stderr"; deltaBase64: string }) => void) | undefined;
  lines(child.stdout, framing, (line) => {
    const m = JSON.parse(line) as { id?: number; method?: string; params?: { processId: string; stream: "stdout" | "stderr"; deltaBase64: string }; result?: { exitCode?: number } };
    if (m.method === "command/exec/outputDelta" && m.params !== undefined) sink?.(m.params);
    else if (m.id !== undefined && m.method === undefined) waiting.get(m.id)?.(m.result ?? {});
  });
  let nextId = 1;
  const request = (method: string, params: unknown): Promise<{ exitCode?: number }> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve);
      child.stdin.write(`${JSON.stringify({ id, method, params })}\n`);
    });
  await request("initialize", { clientInfo: { name: "bench_raw", version: "0" }, capabilities: { experimentalApi: false } });
  child.stdin.write(`${JSON.stringify({ method: "initialized" })}\n`);
  const runs: ExecRun[] = [];
  for (const [i, size] of sizes.entries()) {
    const processId = `raw-${i}`;
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const counts: Counts = { bytes: 0, chars: 0 };
    sink = (p) => {
      if (p.processId !== processId) return;
      const bytes = Buffer.from(p.deltaBase64, "base64");
      const text = decoders[p.stream].decode(bytes, { stream: true });
      // stdout only: `yes` ends with "Broken pipe" on stderr when head closes its pipe.
      if (p.stream !== "stdout") return;
      counts.bytes += bytes.length;
      counts.chars += text.length;
    };
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await request("command/exec", { command: execArgv(size), processId, streamStdoutStderr: true, disableOutputCap: true, disableTimeout: true });
    counts.chars += decoders.stdout.decode().length;
    runs.push({ cpuMs: cpuUs(cpu) / 1000, wallMs: performance.now() - start, bytes: counts.bytes, chars: counts.chars, exitCode: result.exitCode ?? -1 });
  }
  child.stdin.end();
  child.kill();
  return runs;
}

async function rxRuns(codexPath: string, codexHome: string, sizes: readonly number[]): Promise<ExecRun[]> {
  const { Codex, isExecExit } = await import("../../src/index.js");
  const { lastValueFrom, reduce } = await import("rxjs");
  const codex = await Codex.start({ codexPath, env: { CODEX_HOME: codexHome } });
  const runs: ExecRun[] = [];
  for (const size of sizes) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const seed = { bytes: 0, chars: 0, exitCode: -1 };
    const counts = await lastValueFrom(
      codex.exec$(execArgv(size), { disableOutputCap: true, disableTimeout: true }).pipe(
        reduce((acc, e) => {
          if (isExecExit(e)) acc.exitCode = e.exitCode;
          else if (e.stream === "stdout") {
            acc.bytes += e.bytes.length;
            acc.chars += e.text.length;
          }
          return acc;
        }, seed),
      ),
    );
    runs.push({ cpuMs: cpuUs(cpu) / 1000, wallMs: performance.now() - start, ...counts });
  }
  await codex.close();
  return runs;
}

async function main(): Promise<void> {
  const [client, codexPath, codexHome, bytesArg] = process.argv.slice(2);
  if ((client !== "raw" && client !== "raw-readline" && client !== "codex-rx") || codexPath === undefined || codexHome === undefined || bytesArg === undefined) {
    throw new Error("usage: execWorker.js <raw|raw-readline|codex-rx> CODEX_PATH CODEX_HOME BYTES");
  }
  // A warm-up run of 1 MiB (JIT, the server's first spawn), then the measured one.
  const sizes = [1024 * 1024, Number(bytesArg)];
  const runs = client === "codex-rx" ? await rxRuns(codexPath, codexHome, sizes) : await rawRuns(codexPath, codexHome, sizes, client === "raw" ? "indexOf" : "readline");
  console.log(JSON.stringify(runs.at(-1)));
}

if (process.argv[1]?.endsWith("execWorker.js") === true) await main();
