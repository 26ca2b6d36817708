// N tasks spread over two app-servers, one local over stdio and one over WebSocket (as a remote
// machine would be), at most 3 turns at a time, each with a timeout; the first failure cancels
// the rest (their turns are interrupted on the server, which stays up). Runs on the fake model.
//   npx tsx samples/orchestrator.ts [N]          N tasks (default 8), all succeed
//   npx tsx samples/orchestrator.ts 8 --fail     task 5 fails: the turns still running are interrupted
import { defer, from, lastValueFrom, map, mergeMap, switchMap, timeout, toArray } from "rxjs";
import { Codex, webSocketTransport } from "codex-rx";
import { codexHomeFor, lastUserText, reply, startFakeResponses, startWebSocketAppServer } from "codex-rx/testing";

const count = Number(process.argv[2] ?? 8);
const failFifth = process.argv.includes("--fail");
const fake = await startFakeResponses({
  respond: (request) => {
    const prompt = lastUserText(request) ?? "";
    if (failFifth && prompt.startsWith("task 5")) return reply.failed("the model gave up on task 5");
    return reply.text(`done: ${prompt}`, { delayMs: 150 });
  },
});
const home = await codexHomeFor(fake);
const remote = await startWebSocketAppServer({ env: home.env });
try {
  await using local = await Codex.start({ env: home.env });
  await using far = await Codex.start({ transport: webSocketTransport(remote.url) });
  const servers = [
    { name: "stdio", codex: local },
    { name: "websocket", codex: far },
  ];
  const tasks = Array.from({ length: count }, (_, i) => `task ${i + 1}`);
  // Each task is a thread of its own and a cold run$: subscribing starts the turn, unsubscribing
  // interrupts it. mergeMap's limit bounds the turns in flight; an error unsubscribes the others.
  const results = await lastValueFrom(
    from(tasks).pipe(
      mergeMap((task, i) => {
        const server = servers[i % servers.length]!;
        return defer(() => server.codex.threadStart({ cwd: process.cwd() })).pipe(
          switchMap((thread) => thread.run$(task)),
          timeout(30_000),
          map((result) => `${server.name.padEnd(9)} ${task}: ${result.finalResponse ?? "(no answer)"}`),
        );
      }, 3),
      toArray(),
    ),
  );
  console.log(results.join("\n"));
} catch (error) {
  console.error("stopped at the first failure; the other turns were interrupted:", error instanceof Error ? error.message : error);
} finally {
  await remote.close();
  await fake.close();
  await home.cleanup();
}
