// A remote app-server over WebSocket: the same API as stdio, only the transport differs; the
// connection state is shown live, and a reconnecting transport survives a drop mid-turn.
//   npx tsx samples/remote.ts                                   starts a local ws server on the fake model, and freezes it mid-turn
//   npx tsx samples/remote.ts ws://HOST:PORT [TOKEN] ["prompt"]  connects to yours (TOKEN or $CODEX_WS_TOKEN)
// Serve one with: codex app-server --listen ws://127.0.0.1:4500 --ws-auth capability-token --ws-token-file /abs/token
import { randomBytes } from "node:crypto";
import { filter } from "rxjs";
import { Codex, TransportClosedError, TransportConnectError, isGap, ofMethod, webSocketTransport } from "codex-rx";
import { codexHomeFor, lastUserText, reply, startFakeResponses, startWebSocketAppServer, type WebSocketAppServer } from "codex-rx/testing";

const [urlArg, tokenArg, promptArg] = process.argv.slice(2);
const prompt = promptArg ?? "Say hello from the other side of a socket.";
const cleanup: (() => Promise<void>)[] = [];

let url = urlArg;
let token = tokenArg ?? process.env["CODEX_WS_TOKEN"];
let local: WebSocketAppServer | undefined;
if (url === undefined) {
  // No URL: play the remote host ourselves, with a capability token, on the embedded fake model.
  process.stderr.write("note: no URL given, so this starts `codex app-server --listen ws://127.0.0.1:PORT` locally on a fake model.\n\n");
  const fake = await startFakeResponses({
    respond: (request) => reply.text(`(fake model, via WebSocket) You said: "${lastUserText(request) ?? ""}". `.repeat(4), { delayMs: 60 }),
  });
  const home = await codexHomeFor(fake);
  token = randomBytes(24).toString("hex");
  local = await startWebSocketAppServer({ env: home.env, token });
  cleanup.push(() => local?.close() ?? Promise.resolve(), () => fake.close(), () => home.cleanup());
  url = local.url;
}

try {
  // The token travels as `Authorization: Bearer <token>` on the upgrade request. With `reconnect`,
  // a dropped connection is redialed and the session (threads, turns in flight) restored.
  const transport = webSocketTransport(url, { ...(token ? { token } : {}), connectTimeoutMs: 5000, pingIntervalMs: 1500, reconnect: { maxAttempts: 10 } });
  await using codex = await Codex.start({ transport });
  codex.connection$.subscribe(({ state, attempt, error }) => console.error(`\n[connection] ${state}${attempt ? ` (attempt ${attempt})` : ""}${error ? `: ${error.message}` : ""}`));
  console.log("connected:", url, "·", codex.metadata.userAgent);

  const thread = await codex.threadStart({ cwd: process.cwd() });
  const turn = await thread.turn(prompt);
  turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe((n) => process.stdout.write(n.params.delta));
  turn.events$.pipe(filter(isGap)).subscribe(() => process.stdout.write(" [… gap: the connection dropped here …] "));
  if (local !== undefined) {
    // Freeze our own server for 4 s mid-turn: the heartbeat notices (a ping unanswered for 1.5 s), the
    // client reconnects once it thaws. (A shorter ping interval drops a merely slow server on a busy
    // machine, even during initialize, where a request in flight is lost, not resent.)
    const server = local;
    setTimeout(() => server.kill("SIGSTOP"), 800);
    setTimeout(() => server.kill("SIGCONT"), 4800);
  }
  const result = await turn.run();
  console.log(`\n\nturn ${result.status} in ${result.durationMs ?? "?"} ms, ${result.usage?.total.totalTokens ?? "?"} tokens`);
  console.log(`final answer, whole despite the gap: ${result.finalResponse ?? ""}`);
} catch (error) {
  // Each way a remote connection fails is its own type.
  if (error instanceof TransportConnectError && error.unauthorized) console.error(`token refused by ${error.url}: ${error.body}`);
  else if (error instanceof TransportConnectError) console.error(`cannot reach ${error.url} (${error.code ?? error.status}): ${error.message}`);
  else if (error instanceof TransportClosedError) console.error(`the server went away (${error.name}): ${error.reason}`);
  else throw error;
  process.exitCode = 1;
} finally {
  for (const step of cleanup) await step();
}
