// Fault injection, the connection comes and goes: a TCP proxy cut mid-turn (the turn finishing
// after the resume, or during the gap), the real app-server SIGKILLed and restarted on the same
// port, SIGSTOPped and thawed, gone for good (give-up after maxAttempts), and an approval pending
// across a drop. A reconnecting client must lose no item, never hang, and fail typed, once.
import { existsSync } from "node:fs";
import path from "node:path";
import { filter, firstValueFrom, lastValueFrom, toArray } from "rxjs";
import {
  Codex,
  ReconnectFailedError,
  isGap,
  ofMethod,
  webSocketTransport,
  type ConnectionState,
  type Notification,
  type ThreadItem,
  type Transport,
  type WebSocketTransportOptions,
} from "../../src/index.js";
import { output, reply, startWebSocketAppServer, type WebSocketAppServer } from "../../src/testing/index.js";
import { createHarness, type Harness } from "../integration/harness.js";
import { startTcpProxy } from "../helpers/tcpProxy.js";
import { lost, orphan, reportFaults, tried } from "./faultTally.js";
import { since } from "./support.js";

// Up to ~30 s of attempts: the cases below must not give up by accident on a loaded machine.
const quick: WebSocketTransportOptions = { reconnect: { maxAttempts: 100, initialDelayMs: 50, maxDelayMs: 300 }, connectTimeoutMs: 1000, pingIntervalMs: 5000 };
const TEXT = "tok ".repeat(30);

let h: Harness;
let server: WebSocketAppServer;

let serverStarted = false;

beforeAll(async () => {
  h = await createHarness();
  try {
    server = await startWebSocketAppServer({ env: h.home.env });
    serverStarted = true;
  } catch (error) {
    // The server did not start (in time, on a loaded machine): its home and cwd go all the same.
    await h.dispose();
    throw error;
  }
});

afterAll(async () => {
  if (!serverStarted) return;
  // The server first: a server still running on the home would write into it after its removal.
  await server.close();
  await h.dispose();
  expect(orphan(server.pid)).toBe(false);
  reportFaults(import.meta.url);
});

afterEach(() => {
  expect(h.protocolErrors).toEqual([]);
});

/** Every state the client reports, from now on. */
function record(codex: Codex): ConnectionState[] {
  const states: ConnectionState[] = [];
  codex.connection$.subscribe((c) => states.push(c));
  return states;
}

/** Resolves at the next connection state `state`. */
function next(codex: Codex, state: ConnectionState["state"]): Promise<ConnectionState> {
  return firstValueFrom(codex.connection$.pipe(filter((c) => c.state === state)));
}

/** `inner`, but `cut()` runs right after the first `initialize` is written: the connection drops before its answer. */
function cutAtFirstInitialize(inner: Transport, cut: () => void): Transport {
  let armed = true;
  return {
    get messages$() {
      return inner.messages$;
    },
    get connection$() {
      return inner.connection$;
    },
    get closed() {
      return inner.closed;
    },
    connect: () => inner.connect(),
    send: (message) => {
      inner.send(message);
      if (armed && message.includes('"method":"initialize"')) {
        armed = false;
        cut();
      }
    },
    close: () => inner.close(),
    stderrTail: () => inner.stderrTail?.() ?? "",
  };
}

function agentText(items: readonly ThreadItem[]): string {
  return items.map((i) => (i.type === "agentMessage" ? i.text : "")).join("");
}

describe("fault injection: a reconnecting WebSocket client", () => {
  it("survives a proxy cut mid-turn: the turn resumes, loses no item, marks the gap, and the thread runs again", async () => {
    await using proxy = await startTcpProxy(server.port);
    const codex = await h.start({ transport: webSocketTransport(proxy.url, quick) });
    const states = record(codex);
    h.fake.enqueue(reply.deltas(30, { delayMs: 60 }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("cut me");
    const events = lastValueFrom(turn.events$.pipe(toArray()));
    await firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")));
    tried("the proxy cuts the connection mid-turn");
    proxy.cut();
    const result = await turn.run();
    expect(result.status).toBe("completed");
    expect(lost(1, agentText(result.items) === TEXT ? 1 : 0)).toBe(0);
    expect(result.finalResponse).toBe(TEXT);
    const seen = await events;
    const gap = seen.findIndex(isGap);
    expect(gap).toBeGreaterThan(0);
    expect(seen[gap]?.params).toMatchObject({ threadId: thread.id, turnId: turn.id });
    expect(seen.at(-1)?.method).toBe("turn/completed");
    expect(states.map((s) => s.state)).toEqual(["open", "reconnecting", "open"]);
    expect(states[1]?.attempt).toBe(1);
    expect(proxy.accepted).toBe(2);
    // The same thread on the new connection.
    expect((await thread.run("again")).finalResponse).toBe("echo: again");
  });

  it("gets the items of a turn that finished while the connection was down from the thread's record", async () => {
    await using proxy = await startTcpProxy(server.port);
    const codex = await h.start({ transport: webSocketTransport(proxy.url, quick) });
    h.fake.enqueue(reply.stream([output.execCommand("echo gap"), output.message("after the command")]));
    h.fake.enqueue(reply.text("all done", { delayMs: 20 }));
    const thread = await codex.threadStart({ cwd: h.cwd, approvalPolicy: "never" });
    const turn = await thread.turn("finish in the gap");
    await firstValueFrom(turn.events$.pipe(ofMethod("turn/started")));
    tried("the network stays down until the turn has finished on the server");
    proxy.refuse(true);
    proxy.cut();
    // Another client, straight to the server, watches the turn finish while ours is cut off.
    const observer = await Codex.start({ transport: webSocketTransport(server.url) });
    const status = async (): Promise<string | undefined> =>
      (await observer.request("thread/read", { threadId: thread.id, includeTurns: true })).thread.turns.find((t) => t.id === turn.id)?.status;
    const deadline = Date.now() + 15_000;
    while ((await status()) !== "completed" && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await status()).toBe("completed");
    await observer.close();
    proxy.refuse(false);
    const result = await turn.run();
    expect(result.status).toBe("completed");
    const types = result.items.map((i) => i.type);
    expect(types).toContain("userMessage");
    expect(types).toContain("commandExecution");
    expect(lost(1, result.finalResponse === "all done" ? 1 : 0)).toBe(0);
    expect(new Set(result.items.map((i) => i.id)).size).toBe(result.items.length);
  });

  it("ends a turn with its recorded status when the server is SIGKILLed, and runs the thread again after a restart on the same port", async () => {
    const own = await startWebSocketAppServer({ env: h.home.env });
    let restarted: WebSocketAppServer | undefined;
    try {
      const codex = await Codex.start({ transport: webSocketTransport(own.url, quick) });
      const states = record(codex);
      h.fake.enqueue(reply.hang({ text: "half " }));
      const thread = await codex.threadStart({ cwd: h.cwd });
      const turn = await thread.turn("die");
      const running = turn.run();
      await firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")));
      tried("the server is SIGKILLed mid-turn and restarted on the same port");
      own.kill("SIGKILL");
      await next(codex, "reconnecting");
      restarted = await startWebSocketAppServer({ env: h.home.env, port: own.port });
      const result = await running;
      expect(result.status).toBe("interrupted");
      expect(result.items.map((i) => i.type)).toContain("userMessage");
      expect((await thread.run("alive again")).finalResponse).toBe("echo: alive again");
      expect(states.map((s) => s.state).slice(0, 2)).toEqual(["open", "reconnecting"]);
      expect(states.at(-1)?.state).toBe("open");
      await codex.close();
      expect(states.at(-1)).toEqual({ state: "closed" });
    } finally {
      await own.close();
      await restarted?.close();
    }
    expect(orphan(own.pid)).toBe(false);
    if (restarted) expect(orphan(restarted.pid)).toBe(false);
  });

  it("detects a SIGSTOPped server within two ping intervals and resumes the turn after SIGCONT", async () => {
    const own = await startWebSocketAppServer({ env: h.home.env });
    try {
      const pingIntervalMs = 300;
      const codex = await Codex.start({ transport: webSocketTransport(own.url, { ...quick, pingIntervalMs }) });
      h.fake.enqueue(reply.deltas(30, { delayMs: 30 }));
      const thread = await codex.threadStart({ cwd: h.cwd });
      const turn = await thread.turn("freeze");
      await firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")));
      tried("the server is frozen (SIGSTOP) mid-turn, then thawed");
      const reconnecting = next(codex, "reconnecting");
      own.kill("SIGSTOP");
      const t0 = performance.now();
      const state = await reconnecting;
      const detectedMs = since(t0);
      // Two intervals at most, plus room for a loaded event loop.
      expect(detectedMs).toBeLessThan(2 * pingIntervalMs + 300);
      expect(state.error?.name).toBe("TransportClosedError");
      expect(String((state.error?.cause as Error | undefined)?.name)).toBe("HeartbeatTimeoutError");
      await new Promise((resolve) => setTimeout(resolve, 500));
      own.kill("SIGCONT");
      const result = await turn.run();
      expect(lost(1, result.finalResponse === TEXT ? 1 : 0)).toBe(0);
      await codex.close();
    } finally {
      own.kill("SIGCONT");
      await own.close();
    }
    expect(orphan(own.pid)).toBe(false);
  });

  it("gives up after maxAttempts: the open turn and every pending request fail with ReconnectFailedError, once", async () => {
    const own = await startWebSocketAppServer({ env: h.home.env });
    try {
      const codex = await Codex.start({ transport: webSocketTransport(own.url, { reconnect: { maxAttempts: 3, initialDelayMs: 20, maxDelayMs: 50 } }) });
      const states = record(codex);
      h.fake.enqueue(reply.hang());
      const thread = await codex.threadStart({ cwd: h.cwd });
      const asked = h.fake.requests.length + 1;
      const turn = await thread.turn("never again");
      await h.fake.waitForRequests(asked); // the hang is taken: it cannot leak into the next test
      let failures = 0;
      const running = turn.run().catch((e: unknown) => {
        failures += 1;
        return e;
      });
      await firstValueFrom(turn.events$.pipe(ofMethod("turn/started")));
      tried("the server dies for good; the client gives up after 3 attempts");
      own.kill("SIGKILL");
      await next(codex, "reconnecting");
      const queued = codex.request("model/list", {}).catch((e: unknown) => e); // waits for a session that never comes back
      const t0 = performance.now();
      const [turnError, requestError] = await Promise.all([running, queued]);
      expect(since(t0)).toBeLessThan(3000);
      for (const error of [turnError, requestError]) {
        expect(error).toBeInstanceOf(ReconnectFailedError);
        expect((error as ReconnectFailedError).attempts).toBe(3);
      }
      expect(failures).toBe(1);
      expect(states.filter((s) => s.state === "reconnecting").map((s) => s.attempt)).toEqual([1, 2, 3]);
      expect(states.at(-1)?.state).toBe("closed");
      expect(states.at(-1)?.error).toBeInstanceOf(ReconnectFailedError);
      expect(codex["rpc"]["pending"].size).toBe(0);
      await codex.close();
    } finally {
      await own.close();
    }
    expect(orphan(own.pid)).toBe(false);
  });

  it("sends initialize again when the connection drops before its answer: Codex.start resolves on the next connection", async () => {
    await using proxy = await startTcpProxy(server.port);
    tried("the connection drops while the first initialize is in flight");
    const codex = await h.start({ transport: cutAtFirstInitialize(webSocketTransport(proxy.url, quick), () => proxy.cut()) });
    expect(proxy.accepted).toBe(2);
    const thread = await codex.threadStart({ cwd: h.cwd });
    expect(lost(1, (await thread.run("after the handshake")).finalResponse === "echo: after the handshake" ? 1 : 0)).toBe(0);
  });

  it("fails Codex.start with ReconnectFailedError when the connection drops during initialize and does not come back", async () => {
    await using proxy = await startTcpProxy(server.port);
    tried("the connection drops during the first initialize and the network stays down");
    const transport = webSocketTransport(proxy.url, { reconnect: { maxAttempts: 2, initialDelayMs: 20, maxDelayMs: 50 }, connectTimeoutMs: 1000 });
    const t0 = performance.now();
    const error = await h
      .start({
        transport: cutAtFirstInitialize(transport, () => {
          proxy.refuse(true);
          proxy.cut();
        }),
      })
      .catch((e: unknown) => e);
    expect(since(t0)).toBeLessThan(5000);
    expect(error).toBeInstanceOf(ReconnectFailedError);
    expect((error as ReconnectFailedError).attempts).toBe(2);
    expect(transport.closed).toBe(true);
  });

  it("answers an approval pending at the drop after the resume: the handler is asked once, the command runs", async () => {
    await using proxy = await startTcpProxy(server.port);
    let asked = 0;
    let decide: (decision: { decision: "accept" }) => void = () => undefined;
    const decided = new Promise<{ decision: "accept" }>((resolve) => {
      decide = resolve;
    });
    let onAsked: () => void = () => undefined;
    const askedOnce = new Promise<void>((resolve) => {
      onAsked = resolve;
    });
    const codex = await h.start({
      transport: webSocketTransport(proxy.url, quick),
      approvals: {
        "item/commandExecution/requestApproval": () => {
          asked += 1;
          onAsked();
          return decided;
        },
      },
    });
    const seen: string[] = [];
    codex.serverRequests$.subscribe((e) => seen.push(e.request.method));
    const file = path.join(h.cwd, "approved-across-a-drop.txt");
    h.fake.enqueue(reply.stream([output.execCommand(`touch ${file}`)]), reply.text("done"));
    const thread = await codex.threadStart({ cwd: h.cwd, approvalPolicy: "untrusted", approvalsReviewer: "user", sandbox: "workspace-write" });
    const turn = await thread.turn("create the file");
    await askedOnce;
    tried("the connection drops while an approval is pending; the user decides during the gap");
    proxy.refuse(true);
    proxy.cut();
    await next(codex, "reconnecting");
    decide({ decision: "accept" });
    await new Promise((resolve) => setTimeout(resolve, 200));
    proxy.refuse(false);
    const result = await turn.run();
    expect(asked).toBe(1);
    expect(existsSync(file)).toBe(true);
    const command = result.items.find((i) => i.type === "commandExecution") as { status?: string } | undefined;
    expect(command?.status).toBe("completed");
    expect(result.finalResponse).toBe("done");
    // The answer went out once, to the server's replay of the request.
    expect(seen).toEqual(["item/commandExecution/requestApproval"]);
    const onTurn: Notification[] = await lastValueFrom(turn.events$.pipe(toArray()));
    expect(onTurn.some(isGap)).toBe(true);
  });
});
