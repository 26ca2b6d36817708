import type { AddressInfo } from "node:net";
import { VirtualAction, VirtualTimeScheduler, filter, firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { WebSocketServer, type WebSocket } from "ws";
import { ReconnectFailedError, TransportClosedError, TransportConnectError, webSocketTransport } from "../../src/index.js";
import { WebSocketTransport } from "../../src/advanced.js";
import { HeartbeatTimeoutError, TransportAlreadyConnectedError } from "../../src/index.js";
import { localServer, type LocalServer } from "../helpers/webSocketServers.js";

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
    expect(transport.stderrTail).toBeUndefined();
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
    const twice = await transport.connect().catch((e: unknown) => e);
    expect(twice).toBeInstanceOf(TransportAlreadyConnectedError);
    expect((twice as TransportAlreadyConnectedError).message).toMatch(/WebSocketTransport\.connect\(\) called twice/);
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
