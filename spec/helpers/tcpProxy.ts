// A TCP proxy on 127.0.0.1 that a test can cut: every connection to it is piped to a target port,
// and cut() drops them all at once (both sides, no close frame), like a network that went away.
import { createServer, connect, type Socket } from "node:net";

export interface TcpProxy extends AsyncDisposable {
  /** The proxy's own port on 127.0.0.1. */
  readonly port: number;
  /** `ws://127.0.0.1:PORT` of the proxy. */
  readonly url: string;
  /** Connections piped right now. */
  readonly open: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Drops every live connection (both sides); new ones are still accepted. */
  cut(): void;
  /** While true, new connections are dropped as soon as they arrive (the network is still down). */
  refuse(on: boolean): void;
  close(): Promise<void>;
}

/**
 * Starts a proxy to `127.0.0.1:targetPort`. Bounded: at most `maxConnections` at once (more are
 * dropped), and it closes itself after `lifetimeMs` (default 60 s) should a test forget to.
 */
export async function startTcpProxy(targetPort: number, options: { maxConnections?: number; lifetimeMs?: number } = {}): Promise<TcpProxy> {
  const maxConnections = options.maxConnections ?? 32;
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  let accepted = 0;
  const server = createServer((client) => {
    client.on("error", () => undefined);
    if (refusing || pairs.size >= maxConnections) {
      client.destroy();
      return;
    }
    accepted += 1;
    const upstream = connect(targetPort, "127.0.0.1");
    upstream.on("error", () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = (): void => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.once("close", drop);
    upstream.once("close", drop);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const cut = (): void => {
    for (const [client, upstream] of [...pairs]) {
      client.resetAndDestroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      cut();
      server.close(() => resolve());
    });
    return closing;
  };
  const lifetime = setTimeout(() => void close(), options.lifetimeMs ?? 60_000);
  lifetime.unref();
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    get open() {
      return pairs.size;
    },
    get accepted() {
      return accepted;
    },
    cut,
    refuse: (on: boolean) => {
      refusing = on;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
