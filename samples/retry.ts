// Retrying an overloaded app-server: retryOnOverload for Observables, withRetry for Promises.
// Only ServerBusyError (-32001 "Server overloaded; retry later.") is retried; everything else is
// thrown at once. Runs without credentials: parts 1–3 talk to a stand-in server in this process
// that is busy on demand, part 4 to the real app-server.
//   npx tsx samples/retry.ts
import readline from "node:readline";
import { PassThrough } from "node:stream";
import { defer, firstValueFrom } from "rxjs";
import {
  Codex,
  InvalidParamsError,
  RetryLimitExceededError,
  retryOnOverload,
  withRetry,
  type RetryEvent,
} from "codex-rx";
import { StreamTransport } from "codex-rx/advanced";
import { startSampleCodex } from "./support/sampleCodex.js";

/**
 * A stand-in app-server over in-memory streams: answers `initialize`, refuses the first `busyFor`
 * `model/list` calls with -32001, then answers them; `thread/archive` gets -32602.
 */
function busyServer(busyFor: number): StreamTransport {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  let refused = 0;
  const answer = (message: object): boolean => toClient.write(`${JSON.stringify(message)}\n`);
  readline.createInterface({ input: toServer }).on("line", (line) => {
    const { id, method } = JSON.parse(line) as { id?: number; method: string };
    if (id === undefined) return; // the `initialized` notification
    if (method === "initialize") answer({ id, result: { userAgent: "busy-stand-in/0", codexHome: "/nowhere", platformFamily: "unix", platformOs: "linux" } });
    else if (method === "model/list" && refused++ < busyFor) answer({ id, error: { code: -32001, message: "Server overloaded; retry later." } });
    else if (method === "model/list") answer({ id, result: { data: [], nextCursor: null } });
    else if (method === "thread/archive") answer({ id, error: { code: -32602, message: "invalid thread id" } });
    else answer({ id, error: { code: -32601, message: `no method ${method}` } });
  });
  toServer.on("end", () => toClient.end());
  return new StreamTransport(toClient, toServer);
}

const log = (e: RetryEvent): void => console.log(`   attempt ${e.attempt}: ${e.error.rpcMessage} → retrying in ${Math.round(e.delayMs)} ms`);
const ms = (t0: number): string => `${Math.round(performance.now() - t0)} ms`;

console.log("1. retryOnOverload on defer(() => codex.request(…)): busy twice, then answered");
{
  await using codex = await Codex.start({ transport: busyServer(2) });
  const t0 = performance.now();
  // defer makes it cold: every attempt is a new subscription, so a new request.
  const models = await firstValueFrom(defer(() => codex.request("model/list", {})).pipe(retryOnOverload({ onRetry: log })));
  console.log(`   → answered (${models.data.length} models) after ${ms(t0)}`);
}

console.log("2. withRetry gives up after maxAttempts with RetryLimitExceededError");
{
  await using codex = await Codex.start({ transport: busyServer(Infinity) });
  const t0 = performance.now();
  try {
    await withRetry(() => codex.request("model/list", {}), { maxAttempts: 3, onRetry: log });
  } catch (error) {
    if (!(error instanceof RetryLimitExceededError)) throw error;
    console.log(`   → ${error.name}: ${error.attempts} attempts (reason: ${error.reason}) in ${ms(t0)}; cause: ${(error.cause as Error).name}`);
  }
}

console.log("3. Errors other than ServerBusyError are never retried: fix the input instead");
{
  await using codex = await Codex.start({ transport: busyServer(0) });
  try {
    await withRetry(() => codex.request("thread/archive", { threadId: "no-such-thread" }), { onRetry: log });
  } catch (error) {
    if (!(error instanceof InvalidParamsError)) throw error;
    console.log(`   → ${error.name} (${error.code}) thrown at once, no retry: ${error.rpcMessage}`);
  }
}

console.log("4. withRetry around thread.run on the real app-server");
{
  await using sample = await startSampleCodex();
  const thread = await withRetry(() => sample.codex.threadStart({ cwd: process.cwd() }));
  // A busy turn/start is retried. The 300 s deadline covers the whole call, turn included; for
  // long turns pass { timeoutMs } or retry thread.turn(…) and await turn.run() outside.
  const result = await withRetry(() => thread.run("Say hello in one sentence."), { onRetry: log });
  console.log(`   → ${result.status}: ${result.finalResponse}`);
}
