import { ConnectionLostError, ReconnectFailedError, type ServerRequestEvent } from "../../src/index.js";
import { RpcConnection } from "../../src/advanced.js";
import { ReconnectingMemoryTransport } from "../helpers/ReconnectingMemoryTransport.js";

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
type Sent = { id?: number; method?: string; params?: unknown; result?: unknown };

function setup() {
  const transport = new ReconnectingMemoryTransport();
  const rpc = new RpcConnection(transport, {
    handleServerRequest: (request) => (request.method === "test/ask" ? decision : undefined),
  });
  let decide: (value: unknown) => void = () => undefined;
  const decision = new Promise<unknown>((resolve) => {
    decide = resolve;
  });
  const sent = (): Sent[] => transport.sent as Sent[];
  return { transport, rpc, sent, decide };
}

// A method the pinned protocol does not know: handled by the catch-all, params unvalidated.
const userInput = { threadId: "th", turnId: "tu", itemId: "it", question: "go on?" };

describe("RpcConnection over a reconnecting transport", () => {
  it("fails a write in flight at the drop with ConnectionLostError, and sends a read in flight again after the reconnect", async () => {
    const { transport, rpc, sent } = setup();
    await transport.connect();
    const write = rpc.request("thread/start", {}).catch((e: unknown) => e);
    const read = rpc.request("thread/read", { threadId: "th" }, { skipValidation: true });
    transport.drop();
    const lost = await write;
    expect(lost).toBeInstanceOf(ConnectionLostError);
    expect((lost as ConnectionLostError).method).toBe("thread/start");
    transport.reopen();
    await tick();
    const reads = sent().filter((m) => m.method === "thread/read");
    expect(reads).toHaveLength(2);
    expect(reads[1]?.id).toBe(reads[0]?.id);
    transport.receive({ id: reads[1]?.id, result: { thread: { id: "th" } } });
    await expect(read).resolves.toEqual({ thread: { id: "th" } });
  });

  it("holds requests made while down until the restorer is done; the restorer's own requests go first", async () => {
    const { transport, rpc, sent } = setup();
    await transport.connect();
    let release: () => void = () => undefined;
    rpc.setSessionRestorer(async (request, notify) => {
      const init = request("initialize", { clientInfo: { name: "t", version: "1" } });
      const id = sent().at(-1)?.id;
      transport.receive({ id, result: { userAgent: "u", codexHome: "/h", platformFamily: "unix", platformOs: "linux" } });
      await init;
      notify("initialized");
      await new Promise<void>((resolve) => {
        release = resolve;
      });
    });
    transport.drop();
    const queued = rpc.request("model/list", {});
    expect(sent().some((m) => m.method === "model/list")).toBe(false);
    transport.reopen();
    await tick();
    expect(sent().map((m) => m.method)).toEqual(["initialize", "initialized"]);
    release();
    await tick();
    expect(sent().map((m) => m.method)).toEqual(["initialize", "initialized", "model/list"]);
    transport.receive({ id: sent().at(-1)?.id, result: { data: [], nextCursor: null } });
    await expect(queued).resolves.toEqual({ data: [], nextCursor: null });
  });

  it("answers the server's replay of a request pending at the drop with the handler's one decision", async () => {
    const { transport, rpc, sent, decide } = setup();
    await transport.connect();
    const events: ServerRequestEvent[] = [];
    rpc.serverRequests$.subscribe((e) => events.push(e));
    transport.receive({ id: 0, method: "test/ask", params: userInput });
    transport.drop();
    decide({ answers: {} });
    await tick();
    expect(sent()).toEqual([]); // nowhere to send it
    transport.reopen();
    await tick();
    transport.receive({ id: 7, method: "test/ask", params: userInput }); // the replay, on the new connection
    await tick();
    expect(sent()).toEqual([{ id: 7, result: { answers: {} } }]);
    expect(events.map((e) => e.request.id)).toEqual([7]);
  });

  it("answers a replay that arrives before the handler decided, once it decides", async () => {
    const { transport, rpc, sent, decide } = setup();
    await transport.connect();
    transport.receive({ id: 0, method: "test/ask", params: userInput });
    transport.drop();
    transport.reopen();
    await tick();
    transport.receive({ id: 3, method: "test/ask", params: userInput });
    await tick();
    expect(sent()).toEqual([]);
    decide({ answers: {} });
    await tick();
    expect(sent()).toEqual([{ id: 3, result: { answers: {} } }]);
    expect(rpc.closed).toBe(false);
  });

  it("fails everything with ReconnectFailedError when the restorer fails", async () => {
    const { transport, rpc } = setup();
    await transport.connect();
    rpc.setSessionRestorer(() => Promise.reject(new Error("initialize refused")));
    transport.drop();
    const queued = rpc.request("model/list", {}).catch((e: unknown) => e);
    transport.reopen();
    const error = await queued;
    expect(error).toBeInstanceOf(ReconnectFailedError);
    expect((error as ReconnectFailedError).cause).toEqual(new Error("initialize refused"));
    expect(rpc.closed).toBe(true);
  });

  it("fails pending and queued requests once with the transport's give-up error", async () => {
    const { transport, rpc } = setup();
    await transport.connect();
    const read = rpc.request("thread/read", { threadId: "th" }).catch((e: unknown) => e);
    transport.drop();
    const queued = rpc.request("model/list", {}).catch((e: unknown) => e);
    const gaveUp = new ReconnectFailedError(3, { cause: new Error("ECONNREFUSED") });
    transport.giveUp(gaveUp);
    expect(await read).toBe(gaveUp);
    expect(await queued).toBe(gaveUp);
    expect(rpc["pending"].size).toBe(0);
  });
});
