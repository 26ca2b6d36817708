// One connection attempt of the WebSocket transport (src/transport/webSocketDial.ts) as connect()
// reports it: refused, 401, timeout, bad URL, closed before or during the attempt.
import { lastValueFrom, toArray } from "rxjs";
import { TransportConnectError, webSocketTransport } from "../../src/index.js";
import { WebSocketTransport } from "../../src/advanced.js";
import { freePort as deadPort } from "../../src/testing/index.js";
import { closeRaw, rawServer } from "../helpers/webSocketServers.js";

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
