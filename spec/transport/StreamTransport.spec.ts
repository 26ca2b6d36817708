import { PassThrough } from "node:stream";
import { firstValueFrom, toArray } from "rxjs";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import { InvalidParamsError, TransportClosedError, type ProtocolError } from "../../src/errors/index.js";
import { StreamTransport } from "../../src/transport/StreamTransport.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { delta } from "../helpers/events.js";

/**
 * A client joined to a scripted server over two in-memory streams. The server writes its bytes
 * in awkward chunks (split anywhere, even inside characters) to exercise the framing.
 */
function connect() {
  const toClient = new PassThrough();
  const toServer = new PassThrough();
  const transport = new StreamTransport(toClient, toServer);
  const rpc = new RpcConnection(transport);
  const received: Record<string, unknown>[] = [];
  let buffered = "";
  toServer.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    let nl = buffered.indexOf("\n");
    while (nl !== -1) {
      received.push(JSON.parse(buffered.slice(0, nl)) as Record<string, unknown>);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf("\n");
    }
  });
  /** Writes messages as one byte stream cut into chunks of `size` bytes. */
  const write = (messages: readonly (object | string)[], size: number): void => {
    const bytes = Buffer.from(messages.map((m) => (typeof m === "string" ? m : JSON.stringify(m)) + "\n").join(""));
    for (let i = 0; i < bytes.length; i += size) toClient.write(bytes.subarray(i, i + size));
  };
  return { toClient, toServer, transport, rpc, received, write };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("StreamTransport + RpcConnection over in-memory streams", () => {
  it("frames requests as one JSON line each", async () => {
    const { rpc, transport, received } = connect();
    await transport.connect();
    void rpc.request("thread/archive", { threadId: "t1" }).catch(() => undefined);
    rpc.notify("initialized");
    await tick();
    expect(received).toEqual([{ id: 1, method: "thread/archive", params: { threadId: "t1" } }, { method: "initialized" }]);
    await rpc.close();
  });

  it.each([1, 3, 7, 64, 4096])("correlates out-of-order responses and notifications split into %i-byte chunks", async (size) => {
    const { rpc, transport, write } = connect();
    await transport.connect();
    const notes: Notification[] = [];
    rpc.notifications$.subscribe((n) => notes.push(n));
    const a = rpc.request("thread/archive", { threadId: "a" });
    const b = rpc.request("thread/unarchive", { threadId: "b" });
    const c = rpc.request("thread/archive", { threadId: "c" });
    write(
      [
        delta("th", "A", "m", "héllo ✓ "),
        { id: 3, error: { code: -32602, message: "bad thread" } },
        delta("th", "A", "m", "🎉"),
        { id: 1, result: {} },
        { id: 2, result: { thread: null } },
      ],
      size,
    );
    await expect(a).resolves.toEqual({});
    await expect(c).rejects.toBeInstanceOf(InvalidParamsError);
    const unarchived = await b.catch((e: unknown) => e);
    // thread/unarchive's result must carry a Thread: a null thread is a protocol error, reported and rejected.
    expect(unarchived).toMatchObject({ name: "ProtocolError", method: "thread/unarchive" });
    expect(notes.map((n) => (n.params as { delta: string }).delta)).toEqual(["héllo ✓ ", "🎉"]);
    await rpc.close();
  });

  it("reports a broken line and keeps the next one", async () => {
    const { rpc, transport, write } = connect();
    await transport.connect();
    const errors: ProtocolError[] = [];
    rpc.protocolErrors$.subscribe((e) => errors.push(e));
    const notes = firstValueFrom(rpc.notifications$);
    write(['{"method":"item/agentMessage/delta","params":{', delta("th", "A", "m", "ok")], 5);
    expect((await notes).params).toMatchObject({ delta: "ok" });
    expect(errors).toHaveLength(1);
    await rpc.close();
  });

  it("fails pending requests with TransportClosedError when the server's stream ends", async () => {
    const { rpc, transport, toClient } = connect();
    await transport.connect();
    const pending = rpc.request("thread/archive", { threadId: "a" });
    const all = firstValueFrom(rpc.notifications$.pipe(toArray()));
    toClient.end();
    await expect(pending).rejects.toMatchObject({ name: "TransportClosedError", reason: "stream ended" });
    await expect(all).rejects.toBeInstanceOf(TransportClosedError);
    expect(() => transport.send("{}")).toThrow(TransportClosedError);
  });

  it("refuses what is sent before connect() like every transport (nothing written), and after close()", async () => {
    const { transport, received } = connect();
    expect(() => transport.send('{"method":"early"}')).toThrow(expect.objectContaining({ name: "TransportClosedError", reason: "not connected" }));
    await tick();
    expect(received).toEqual([]);
    await transport.connect();
    await transport.close();
    expect(() => transport.send("{}")).toThrow(expect.objectContaining({ name: "TransportClosedError", reason: "closed by client" }));
  });

  it("completes on close() and ends the output stream", async () => {
    const { rpc, transport, toServer } = connect();
    await transport.connect();
    const ended = new Promise((r) => toServer.once("finish", r));
    const all = firstValueFrom(rpc.notifications$.pipe(toArray()));
    await rpc.close();
    await ended;
    await expect(all).resolves.toEqual([]);
    expect(transport.closed).toBe(true);
  });
});
