// Servers for the WebSocket transport's specs: a local ws server, and a raw TCP one for peers that misbehave.
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

/** A local ws server: hands each connection and its upgrade request to the test. */
export interface LocalServer {
  readonly url: string;
  connection(): Promise<{ readonly peer: WebSocket; readonly request: IncomingMessage }>;
  close(): Promise<void>;
}

export async function localServer(options: { autoPong?: boolean } = {}): Promise<LocalServer> {
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
export async function rawServer(mode: { kind: "upgrade" } | { kind: "silent" } | { kind: "status"; status: number; body: string }): Promise<{ url: string; server: Server; sockets: Socket[] }> {
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

export async function closeRaw(raw: { server: Server; sockets: Socket[] }): Promise<void> {
  for (const s of raw.sockets) s.destroy();
  await new Promise<void>((resolve) => raw.server.close(() => resolve()));
}
