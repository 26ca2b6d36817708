// A remote app-server over WebSocket: the same API as stdio, only the transport differs.
//   npx tsx samples/remote.ts                                   starts a local ws server on the fake model
//   npx tsx samples/remote.ts ws://HOST:PORT [TOKEN] ["prompt"]  connects to yours (TOKEN or $CODEX_WS_TOKEN)
// Serve one with: codex app-server --listen ws://127.0.0.1:4500 --ws-auth capability-token --ws-token-file /abs/token
import { randomBytes } from "node:crypto";
import { Codex, TransportClosedError, TransportConnectError, ofMethod, webSocketTransport } from "codex-rx";
import { codexHomeFor, lastUserText, reply, startFakeResponses, startWebSocketAppServer } from "codex-rx/testing";

const [urlArg, tokenArg, promptArg] = process.argv.slice(2);
const prompt = promptArg ?? "Say hello from the other side of a socket.";
const cleanup: (() => Promise<void>)[] = [];

let url = urlArg;
let token = tokenArg ?? process.env["CODEX_WS_TOKEN"];
if (url === undefined) {
  // No URL: play the remote host ourselves, with a capability token, on the embedded fake model.
  process.stderr.write("note: no URL given, so this starts `codex app-server --listen ws://127.0.0.1:PORT` locally on a fake model.\n\n");
  const fake = await startFakeResponses({
    respond: (request) => reply.text(`(fake model, via WebSocket) You said: "${lastUserText(request) ?? ""}".`, { delayMs: 25 }),
  });
  const home = await codexHomeFor(fake);
  token = randomBytes(24).toString("hex");
  const server = await startWebSocketAppServer({ env: home.env, token });
  cleanup.push(() => server.close(), () => fake.close(), () => home.cleanup());
  url = server.url;
}

try {
  // The token travels as `Authorization: Bearer <token>` on the upgrade request.
  await using codex = await Codex.start({ transport: webSocketTransport(url, { ...(token ? { token } : {}), connectTimeoutMs: 5000 }) });
  console.log("connected:", url, "·", codex.metadata.userAgent);

  const thread = await codex.threadStart({ cwd: process.cwd() });
  const turn = await thread.turn(prompt);
  turn.events$.pipe(ofMethod("item/agentMessage/delta")).subscribe((n) => process.stdout.write(n.params.delta));
  const result = await turn.run();
  console.log(`\n\nturn ${result.status} in ${result.durationMs ?? "?"} ms, ${result.usage?.total.totalTokens ?? "?"} tokens`);
} catch (error) {
  // Each way a remote connection fails is its own type.
  if (error instanceof TransportConnectError && error.unauthorized) console.error(`token refused by ${error.url}: ${error.body}`);
  else if (error instanceof TransportConnectError) console.error(`cannot reach ${error.url} (${error.code ?? error.status}): ${error.message}`);
  else if (error instanceof TransportClosedError) console.error(`the server went away (close code ${error.exitCode}): ${error.reason}`);
  else throw error;
  process.exitCode = 1;
} finally {
  for (const step of cleanup) await step();
}
