import { createHash } from "node:crypto";
import { freePort as deadPort } from "../../src/testing/index.js";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import type { IncomingMessage } from "node:http";
import { VirtualAction, VirtualTimeScheduler, filter, firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { WebSocketServer, type WebSocket } from "ws";
import { ReconnectFailedError, TransportClosedError, TransportConnectError, webSocketTransport } from "../../src/index.js";
import { HeartbeatTimeoutError, WebSocketTransport } from "../../src/advanced.js";

/** A local ws server: hands each connection and its upgrade request to the test. */
interface LocalServer {
  readonly url: string;
  connection(): Promise<{ readonly peer: WebSocket; readonly request: IncomingMessage }>;
  close(): Promise<void>;
}

async function localServer(options: { autoPong?: boolean } = {}): Promise<LocalServer> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, autoPong: options.autoPong ?? true });
  await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
  const waiting: ((c: { peer: WebSocket; request: IncomingMessage }) => void)[] = [];
  const queued: { peer: WebSocket; request: IncomingMessage }[] = [];
  wss.on("connection", (peer, request) => {
    const next = waiting.shift();
    if (next) next({ peer, request });
    else queued.push({ peer, request });
  });
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    connection: () => {
      const ready = queued.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => resolve());
      }),
  };
}

/**
 * A raw TCP server for misbehaving peers: `upgrade` completes the handshake and then ignores
 * everything (no close frame, no pong); `silent` never answers the upgrade; `status` refuses it.
 */
async function rawServer(mode: { kind: "upgrade" } | { kind: "silent" } | { kind: "status"; status: number; body: string }): Promise<{ url: string; server: Server; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on("error", () => undefined);
    let head = "";
    socket.on("data", (chunk: Buffer) => {
      if (head.includes("\r\n\r\n")) return;
      head += chunk.toString("latin1");
      if (!head.includes("\r\n\r\n") || mode.kind === "silent") return;
      if (mode.kind === "status") {
        socket.end(`HTTP/1.1 ${mode.status} Nope\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(mode.body)}\r\nConnection: close\r\n\r\n${mode.body}`);
        return;
      }
      const key = /sec-websocket-key: *(\S+)/i.exec(head)?.[1] ?? "";
      const accept = createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, server, sockets };
}

async function closeRaw(raw: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of raw.sockets) s.destroy();
  await new Promise<void>((resolve) => raw.server.close(() => resolve()));
}


describe("WebSocketTransport", () => {
  let local: LocalServer;
  beforeEach(async () => {
    local = await localServer();
  });
  afterEach(async () => {
    await local.close();
  });

  it("delivers one message per text frame, in order", async () => {
    const transport = webSocketTransport(local.url);
    const received = firstValueFrom(transport.messages$.pipe(take(3), toArray()));
    await transport.connect();
    const { peer } = await local.connection();
    peer.send('{"a":1}');
    peer.send('{"text":"line one\\nline two"}');
    peer.send('{"c":3}');
    expect(await received).toEqual(['{"a":1}', '{"text":"line one\\nline two"}', '{"c":3}']);
    await transport.close();
  });

  it("splits a frame that batches newline-separated messages and decodes binary frames", async () => {
    const transport = webSocketTransport(local.url);
    const received = firstValueFrom(transport.messages$.pipe(take(4), toArray()));
    await transport.connect();
    const { peer } = await local.connection();
    peer.send('{"a":1}\n{"b":2}\r\n\n');
    peer.send(Buffer.from('{"c":"é"}'), { binary: true });
    peer.send("   ");
    peer.send('{"d":4}');
    expect(await received).toEqual(['{"a":1}', '{"b":2}', '{"c":"é"}', '{"d":4}']);
    await transport.close();
  });

  it("sends each message as one text frame, and the token as Authorization: Bearer with the given headers", async () => {
    const transport = webSocketTransport(local.url, { token: " s3cret\n", headers: { "X-Trace": "t1" } });
    await transport.connect();
    const { peer, request } = await local.connection();
    expect(request.headers["authorization"]).toBe("Bearer s3cret");
    expect(request.headers["x-trace"]).toBe("t1");
    expect(request.headers["origin"]).toBeUndefined();
    expect(request.headers["sec-websocket-extensions"]).toBeUndefined();
    const frames: { text: string; binary: boolean }[] = [];
    const two = new Promise<void>((resolve) =>
      peer.on("message", (data: Buffer, binary: boolean) => {
        frames.push({ text: data.toString("utf8"), binary });
        if (frames.length === 2) resolve();
      }),
    );
    transport.send('{"id":1,"method":"x"}');
    transport.send('{"method":"initialized"}');
    await two;
    expect(frames).toEqual([
      { text: '{"id":1,"method":"x"}', binary: false },
      { text: '{"method":"initialized"}', binary: false },
    ]);
    await transport.close();
  });

  it("completes messages$ after close(), then refuses to send; close() is idempotent", async () => {
    const transport = new WebSocketTransport(local.url);
    const done = lastValueFrom(transport.messages$.pipe(toArray()));
    await transport.connect();
    await local.connection();
    expect(transport.closed).toBe(false);
    await transport.close();
    await transport.close();
    expect(await done).toEqual([]);
    expect(transport.closed).toBe(true);
    expect(() => transport.send("{}")).toThrow(TransportClosedError);
    expect(transport.stderrTail()).toBe("");
  });

  it("refuses to send before connect() with TransportClosedError", () => {
    const transport = webSocketTransport(local.url);
    expect(() => transport.send("{}")).toThrow(TransportClosedError);
  });

  it("errors messages$ with TransportClosedError carrying the close code and reason when the server closes", async () => {
    const transport = webSocketTransport(local.url);
    const failed = lastValueFrom(transport.messages$).catch((e: unknown) => e);
    await transport.connect();
    const { peer } = await local.connection();
    peer.close(4001, "going for lunch");
    const error = (await failed) as TransportClosedError;
    expect(error).toBeInstanceOf(TransportClosedError);
    expect(error.exitCode).toBe(4001);
    expect(error.signal).toBeNull();
    expect(error.reason).toContain("going for lunch");
    expect(transport.closed).toBe(true);
    expect(() => transport.send("{}")).toThrow(TransportClosedError);
  });

  it("reports 1006 when the connection drops without a close frame", async () => {
    const transport = webSocketTransport(local.url);
    const failed = lastValueFrom(transport.messages$).catch((e: unknown) => e);
    await transport.connect();
    (await local.connection()).peer.terminate();
    const error = (await failed) as TransportClosedError;
    expect(error).toBeInstanceOf(TransportClosedError);
    expect(error.exitCode).toBe(1006);
    expect(error.reason).toMatch(/socket closed by server/);
  });

  it("rejects connect() twice", async () => {
    const transport = webSocketTransport(local.url);
    await transport.connect();
    await expect(transport.connect()).rejects.toThrow(/called twice/);
    await transport.close();
  });

  it("treats a peer that stops answering pings as gone", async () => {
    const deaf = await localServer({ autoPong: false });
    try {
      const transport = webSocketTransport(deaf.url, { pingIntervalMs: 40 });
      const failed = lastValueFrom(transport.messages$).catch((e: unknown) => e);
      await transport.connect();
      const error = (await failed) as TransportClosedError;
      expect(error).toBeInstanceOf(TransportClosedError);
      expect(error.reason).toContain("no answer to a ping within 40 ms");
      expect(error.cause).toBeInstanceOf(HeartbeatTimeoutError);
    } finally {
      await deaf.close();
    }
  });
});

describe("WebSocketTransport.connect failures", () => {
  it("rejects with TransportConnectError ECONNREFUSED when nothing listens", async () => {
    const transport = webSocketTransport(`ws://127.0.0.1:${await deadPort()}`, { connectTimeoutMs: 2000 });
    const done = lastValueFrom(transport.messages$).catch((e: unknown) => e);
    const error = (await transport.connect().catch((e: unknown) => e)) as TransportConnectError;
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error.code).toBe("ECONNREFUSED");
    expect(error.status).toBeNull();
    expect(error.unauthorized).toBe(false);
    expect(transport.closed).toBe(true);
    expect(await done).toBe(error);
  });

  it("rejects with status 401 and the body when the upgrade is refused", async () => {
    const raw = await rawServer({ kind: "status", status: 401, body: "invalid websocket bearer token" });
    try {
      const error = (await webSocketTransport(raw.url, { token: "wrong" }).connect().catch((e: unknown) => e)) as TransportConnectError;
      expect(error).toBeInstanceOf(TransportConnectError);
      expect(error.status).toBe(401);
      expect(error.unauthorized).toBe(true);
      expect(error.body).toBe("invalid websocket bearer token");
      expect(error.message).toContain("missing or wrong token");
      expect(error.message).not.toContain("wrong\n");
      expect(error.url).toBe(`${raw.url}/`);
    } finally {
      await closeRaw(raw);
    }
  });

  it("rejects with ETIMEDOUT when the upgrade does not finish within connectTimeoutMs", async () => {
    const raw = await rawServer({ kind: "silent" });
    try {
      const started = Date.now();
      const error = (await webSocketTransport(raw.url, { connectTimeoutMs: 150 }).connect().catch((e: unknown) => e)) as TransportConnectError;
      const took = Date.now() - started;
      expect(error).toBeInstanceOf(TransportConnectError);
      expect(error.code).toBe("ETIMEDOUT");
      expect(took).toBeGreaterThanOrEqual(140);
      expect(took).toBeLessThan(1500);
    } finally {
      await closeRaw(raw);
    }
  });

  it("rejects an invalid URL with EINVALIDURL and redacts credentials in URLs", async () => {
    const error = (await webSocketTransport("http//nope").connect().catch((e: unknown) => e)) as TransportConnectError;
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error.code).toBe("EINVALIDURL");
    expect(new WebSocketTransport("ws://me:pw@127.0.0.1:1/?token=abc&x=1").url).toBe("ws://me:***@127.0.0.1:1/?token=***&x=1");
  });

  it("rejects connect() after close() with ECLOSED", async () => {
    const transport = webSocketTransport("ws://127.0.0.1:1");
    await transport.close();
    const error = (await transport.connect().catch((e: unknown) => e)) as TransportConnectError;
    expect(error).toBeInstanceOf(TransportConnectError);
    expect(error.code).toBe("ECLOSED");
  });

  it("gives up connecting when close() is called meanwhile, and completes messages$", async () => {
    const raw = await rawServer({ kind: "silent" });
    try {
      const transport = webSocketTransport(raw.url, { connectTimeoutMs: 5000 });
      const done = lastValueFrom(transport.messages$.pipe(toArray()));
      const connecting = transport.connect().catch((e: unknown) => e);
      await transport.close();
      expect(transport.closed).toBe(true);
      const error = (await connecting) as TransportConnectError;
      expect(error).toBeInstanceOf(TransportConnectError);
      expect(error.code).toBe("ECLOSED");
      expect(await done).toEqual([]);
    } finally {
      await closeRaw(raw);
    }
  });

  it("close() drops a peer that never answers the closing handshake after closeTimeoutMs", async () => {
    const raw = await rawServer({ kind: "upgrade" });
    try {
      const transport = webSocketTransport(raw.url, { closeTimeoutMs: 100 });
      const done = lastValueFrom(transport.messages$.pipe(toArray()));
      await transport.connect();
      const started = Date.now();
      await transport.close();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(await done).toEqual([]);
    } finally {
      await closeRaw(raw);
    }
  });
});

describe("WebSocketTransport with reconnect", () => {
  /** A ws server on a fixed port whose upgrades can be refused with 401. */
  async function flakyServer(): Promise<{ url: string; wss: WebSocketServer; refuse: (on: boolean) => void; close: () => Promise<void> }> {
    let refusing = false;
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0, verifyClient: (_info, done) => (refusing ? done(false, 401, "invalid websocket bearer token") : done(true)) });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    return {
      url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
      wss,
      refuse: (on) => {
        refusing = on;
      },
      close: () =>
        new Promise<void>((resolve) => {
          for (const client of wss.clients) client.terminate();
          wss.close(() => resolve());
        }),
    };
  }
  const fast = { reconnect: { maxAttempts: 4, initialDelayMs: 10, maxDelayMs: 40 }, pingIntervalMs: 0 } as const;

  it("keeps messages$ open across a drop, reports reconnecting then open, and carries frames of the new socket", async () => {
    const server = await flakyServer();
    try {
      const peers: WebSocket[] = [];
      server.wss.on("connection", (peer) => peers.push(peer));
      const transport = webSocketTransport(server.url, fast);
      const states: unknown[] = [];
      transport.connection$.subscribe((s) => states.push({ state: s.state, attempt: s.attempt }));
      const messages: string[] = [];
      let ended = false;
      transport.messages$.subscribe({ next: (m) => messages.push(m), error: () => (ended = true), complete: () => (ended = true) });
      await transport.connect();
      peers[0]?.terminate();
      await firstValueFrom(transport.connection$.pipe(filter((s) => s.state === "open" && s.attempt !== undefined)));
      expect(() => transport.send("{}")).not.toThrow();
      peers[1]?.send('{"method":"after"}');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(messages).toEqual(['{"method":"after"}']);
      expect(ended).toBe(false);
      expect(states).toEqual([
        { state: "connecting", attempt: undefined },
        { state: "open", attempt: undefined },
        { state: "reconnecting", attempt: 1 },
        { state: "open", attempt: 1 },
      ]);
      await transport.close();
      expect(ended).toBe(true);
      expect(states.at(-1)).toEqual({ state: "closed", attempt: undefined });
    } finally {
      await server.close();
    }
  });

  it("refuses to send while reconnecting, and close() meanwhile stops the attempts and completes both streams", async () => {
    const server = await flakyServer();
    const transport = webSocketTransport(server.url, { reconnect: { maxAttempts: 50, initialDelayMs: 10, maxDelayMs: 20 }, pingIntervalMs: 0 });
    await transport.connect();
    const done = lastValueFrom(transport.messages$, { defaultValue: "completed" });
    const states = lastValueFrom(transport.connection$.pipe(toArray()));
    await server.close(); // drops our socket; nothing listens any more
    await firstValueFrom(transport.connection$.pipe(filter((s) => s.state === "reconnecting" && (s.attempt ?? 0) >= 2)));
    expect(() => transport.send("{}")).toThrow(/reconnecting/);
    await transport.close();
    expect(await done).toBe("completed");
    expect((await states).at(-1)).toEqual({ state: "closed" });
    expect(transport.closed).toBe(true);
  });

  it("gives up at once with ReconnectFailedError when a reconnect is refused with 401", async () => {
    const server = await flakyServer();
    try {
      const peers: WebSocket[] = [];
      server.wss.on("connection", (peer) => peers.push(peer));
      const transport = webSocketTransport(server.url, fast);
      const failed = lastValueFrom(transport.messages$).catch((e: unknown) => e);
      await transport.connect();
      server.refuse(true);
      peers[0]?.terminate();
      const error = (await failed) as ReconnectFailedError;
      expect(error).toBeInstanceOf(ReconnectFailedError);
      expect(error.attempts).toBe(1);
      expect((error.cause as TransportConnectError).status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it("gives up after maxAttempts when nothing listens any more", async () => {
    const server = await flakyServer();
    const transport = webSocketTransport(server.url, fast);
    const failed = lastValueFrom(transport.messages$).catch((e: unknown) => e);
    const states = lastValueFrom(transport.connection$.pipe(toArray()));
    await transport.connect();
    await server.close();
    const error = (await failed) as ReconnectFailedError;
    expect(error).toBeInstanceOf(ReconnectFailedError);
    expect(error.attempts).toBe(4);
    expect((error.cause as TransportConnectError).code).toBe("ECONNREFUSED");
    const all = await states;
    expect(all.filter((s) => s.state === "reconnecting").map((s) => s.attempt)).toEqual([1, 2, 3, 4]);
    expect(all.at(-1)).toEqual({ state: "closed", error });
  });
});

describe("WebSocketTransport timing on the given scheduler", () => {
  it("waits for the scheduler before a reconnect attempt: nothing is dialed until virtual time passes the backoff", async () => {
    const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss.once("listening", () => resolve()));
    const peers: WebSocket[] = [];
    wss.on("connection", (peer) => peers.push(peer));
    // Actions later than frame 1000 stay queued: the backoff (100 ms) runs on flush, the connect timeout does not.
    const scheduler = new VirtualTimeScheduler(VirtualAction, 1000);
    const transport = webSocketTransport(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, {
      scheduler,
      pingIntervalMs: 0,
      reconnect: { maxAttempts: 1, initialDelayMs: 100, maxDelayMs: 100, jitterRatio: 0 },
    });
    try {
      await transport.connect();
      const reconnecting = firstValueFrom(transport.connection$.pipe(filter((s) => s.state === "reconnecting")));
      peers[0]?.terminate();
      expect(await reconnecting).toMatchObject({ state: "reconnecting", attempt: 1 });
      await new Promise((resolve) => setTimeout(resolve, 100)); // real time passes: still no attempt
      expect(peers).toHaveLength(1);
      scheduler.flush();
      await firstValueFrom(transport.connection$.pipe(filter((s) => s.state === "open" && s.attempt === 1)));
      expect(peers).toHaveLength(2);
      expect(scheduler.frame).toBe(100);
    } finally {
      await transport.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    }
  });
});
