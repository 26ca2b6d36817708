import { freePort as deadPort } from "../../src/testing/index.js";
import { firstValueFrom, lastValueFrom, toArray } from "rxjs";
import {
  Codex,
  TransportClosedError,
  TransportConnectError,
  TurnIncompleteError,
  webSocketTransport,
  type Notification,
} from "../../src/index.js";
import { WebSocketTransport } from "../../src/advanced.js";
import { reply, startWebSocketAppServer, type WebSocketAppServer } from "../../src/testing/index.js";
import { createHarness, isAlive, type Harness } from "./harness.js";

// The turn and streaming cases run over WebSocket in core.spec.ts; these are the WebSocket specifics.
const TOKEN = "capability-token-for-tests";
let h: Harness;
let secured: WebSocketAppServer;

beforeAll(async () => {
  h = await createHarness({ transport: "websocket" });
  try {
    secured = await startWebSocketAppServer({ env: h.home.env, token: TOKEN });
  } catch (error) {
    // The server did not start (in time, on a loaded machine): the harness's dirs go all the same.
    await h.dispose();
    throw error;
  }
});

afterAll(async () => {
  // The secured server shares the harness's CODEX_HOME and writes to it as it ends: close it first,
  // or it makes the home again after the harness removed it.
  await secured.close();
  await h.dispose();
  expect(isAlive(secured.pid)).toBe(false);
  expect(isAlive(h.server?.pid ?? -1)).toBe(false);
});

afterEach(() => {
  expect(h.protocolErrors).toEqual([]);
});

describe("webSocketTransport against the real app-server", () => {
  it("presents the capability token as Authorization: Bearer and runs a turn", async () => {
    const codex = await h.start({ transport: webSocketTransport(secured.url, { token: TOKEN }) });
    const thread = await codex.threadStart({ cwd: h.cwd });
    expect((await thread.run("over a token")).finalResponse).toBe("echo: over a token");
  });

  it("refuses a missing or wrong token with TransportConnectError 401, before initialize", async () => {
    for (const options of [{}, { token: "not-the-token" }]) {
      const error = (await Codex.start({ transport: webSocketTransport(secured.url, options) }).catch((e: unknown) => e)) as TransportConnectError;
      expect(error).toBeInstanceOf(TransportConnectError);
      expect(error.status).toBe(401);
      expect(error.unauthorized).toBe(true);
      expect(error.body).toMatch(/^(missing|invalid) websocket bearer token$/);
    }
  });

  it("fails with TransportConnectError ECONNREFUSED well within connectTimeoutMs when nothing listens", async () => {
    const url = `ws://127.0.0.1:${await deadPort()}`;
    const started = Date.now();
    const error = (await Codex.start({ transport: webSocketTransport(url, { connectTimeoutMs: 3000 }) }).catch((e: unknown) => e)) as TransportConnectError;
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("answers a request before initialize with -32600 Not initialized and keeps the connection", async () => {
    const transport = new WebSocketTransport(h.server?.url ?? "");
    const replies = firstValueFrom(transport.messages$);
    await transport.connect();
    transport.send(JSON.stringify({ id: 1, method: "thread/start", params: {} }));
    expect(JSON.parse(await replies)).toEqual({ id: 1, error: { code: -32600, message: "Not initialized" } });
    expect(transport.closed).toBe(false);
    await transport.close();
  });

  it("serves several clients at once, each initialized on its own and seeing only its own turns", async () => {
    const [a, b] = await Promise.all([h.start(), h.start()]);
    const seenByB: Notification[] = [];
    const sub = b.notifications$.subscribe((n) => seenByB.push(n));
    const [ta, tb] = await Promise.all([a.threadStart({ cwd: h.cwd }), b.threadStart({ cwd: h.cwd })]);
    const [ra, rb] = await Promise.all([ta.run("from a"), tb.run("from b")]);
    sub.unsubscribe();
    expect([ra.finalResponse, rb.finalResponse]).toEqual(["echo: from a", "echo: from b"]);
    // Thread lifecycle notifications (thread/started, thread/status/changed) reach every connection;
    // a turn's own events reach only the connections subscribed to its thread.
    const turnScoped = seenByB.filter((n) => typeof (n.params as { turnId?: unknown } | null)?.turnId === "string");
    expect(new Set(turnScoped.map((n) => (n.params as { threadId: string }).threadId))).toEqual(new Set([tb.id]));
    expect(turnScoped.length).toBeGreaterThan(3);
  });

  it("fails the open turn with TurnIncompleteError when the client closes; the server finishes the turn", async () => {
    const own = await h.start();
    h.fake.enqueue(reply.text("one two three four five", { deltas: 5, delayMs: 120 }));
    const thread = await own.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("slow");
    const running = turn.run();
    await firstValueFrom(turn.events$); // turn/started: the turn is running on the server
    await own.close();
    await expect(running).rejects.toBeInstanceOf(TurnIncompleteError);
    // Closing the socket is not an interrupt: another connection sees the turn run to completion.
    const other = await h.start();
    const completed = async (): Promise<string | undefined> =>
      (await other.request("thread/read", { threadId: thread.id, includeTurns: true })).thread.turns.find((t) => t.id === turn.id)?.status;
    const deadline = Date.now() + 5000;
    while ((await completed()) !== "completed" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await completed()).toBe("completed");
  });

  it("fails pending requests and the open turn with TransportClosedError (1006) when the server dies mid-turn", async () => {
    const server = await startWebSocketAppServer({ env: h.home.env });
    try {
      const own = await Codex.start({ transport: webSocketTransport(server.url) });
      const spine = lastValueFrom(own.notifications$.pipe(toArray())).catch((e: unknown) => e);
      h.fake.enqueue(reply.hang());
      const thread = await own.threadStart({ cwd: h.cwd });
      const turn = await thread.turn("hang then die");
      const running = turn.run();
      await firstValueFrom(turn.events$);
      server.kill("SIGKILL");
      // Written in the same tick as the kill, before the client can see the close: never answered.
      // (Written just before the kill, a fast server sometimes answered it first.)
      const pending = own.threadStart({ cwd: h.cwd });
      const [turnError, requestError, spineError] = await Promise.all([running.catch((e: unknown) => e), pending.catch((e: unknown) => e), spine]);
      for (const error of [turnError, requestError, spineError]) {
        expect(error).toBeInstanceOf(TransportClosedError);
        expect((error as TransportClosedError).exitCode).toBe(1006);
      }
      expect((turnError as TransportClosedError).reason).toMatch(/socket closed by server/);
      await expect(own.threadStart({})).rejects.toBeInstanceOf(TransportClosedError);
      await own.close();
    } finally {
      await server.close();
    }
    expect(isAlive(server.pid)).toBe(false);
  });
});

