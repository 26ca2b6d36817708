import { firstValueFrom, toArray, type Subscription } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { RpcConnection, type ServerRequestEvent } from "../../src/rpc/RpcConnection.js";
import {
  InvalidParamsError,
  JsonRpcError,
  MethodNotFoundError,
  ProtocolError,
  RequestTimeoutError,
  ServerBusyError,
  TransportClosedError,
} from "../../src/errors/index.js";
import type { Notification } from "../../src/protocol/notifications.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";
import { delta, turnStarted } from "../helpers/events.js";

function setup(options: ConstructorParameters<typeof RpcConnection>[1] = {}) {
  const transport = new MemoryTransport();
  const rpc = new RpcConnection(transport, options);
  const notifications: Notification[] = [];
  const protocolErrors: ProtocolError[] = [];
  const serverRequests: ServerRequestEvent[] = [];
  const subs: Subscription[] = [
    rpc.notifications$.subscribe({ next: (n) => notifications.push(n), error: () => undefined }),
    rpc.protocolErrors$.subscribe((e) => protocolErrors.push(e)),
    rpc.serverRequests$.subscribe((e) => serverRequests.push(e)),
  ];
  return { transport, rpc, notifications, protocolErrors, serverRequests, subs };
}

const tick = () => new Promise((r) => setImmediate(r));

describe("RpcConnection", () => {
  describe("requests", () => {
    it("correlates responses to requests by id, whatever their order", async () => {
      const { transport, rpc } = setup();
      const first = rpc.request("turn/interrupt", { threadId: "t", turnId: "a" });
      const second = rpc.request("thread/archive", { threadId: "t" });
      expect(transport.sent).toEqual([
        { id: 1, method: "turn/interrupt", params: { threadId: "t", turnId: "a" } },
        { id: 2, method: "thread/archive", params: { threadId: "t" } },
      ]);
      transport.receive({ id: 2, result: {} });
      transport.receive({ id: 1, result: {} });
      await expect(second).resolves.toEqual({});
      await expect(first).resolves.toEqual({});
    });

    it("rejects with the JsonRpcError subclass of the error code", async () => {
      const { transport, rpc } = setup();
      const a = rpc.request("thread/archive", { threadId: "nope" });
      const b = rpc.request("thread/archive", { threadId: "nope" });
      const c = rpc.request("thread/archive", { threadId: "nope" });
      const d = rpc.request("thread/archive", { threadId: "nope" });
      transport.receive({ id: 1, error: { code: -32602, message: "invalid thread id", data: { field: "threadId" } } });
      transport.receive({ id: 2, error: { code: -32601, message: "no such method" } });
      transport.receive({ id: 3, error: { code: -32001, message: "Server overloaded; retry later." } });
      transport.receive({ id: 4, error: { code: -32050, message: "busy", data: { reason: "server_overloaded" } } });
      const err = await a.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InvalidParamsError);
      expect(err).toBeInstanceOf(JsonRpcError);
      expect(err).toMatchObject({ code: -32602, data: { field: "threadId" }, method: "thread/archive" });
      expect((err as JsonRpcError).toJSON()).toEqual({ code: -32602, message: "invalid thread id", data: { field: "threadId" } });
      await expect(b).rejects.toBeInstanceOf(MethodNotFoundError);
      await expect(c).rejects.toBeInstanceOf(ServerBusyError);
      await expect(d).rejects.toBeInstanceOf(ServerBusyError);
    });

    it("rejects a result that does not match the schema with a ProtocolError, and reports it", async () => {
      const { transport, rpc, protocolErrors } = setup();
      const started = rpc.request("thread/start", {});
      transport.receive({ id: 1, result: { thread: 42 } });
      const err = await started.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).method).toBe("thread/start");
      expect((err as ProtocolError).issues.map((i) => i.path[0])).toContain("thread");
      expect(protocolErrors).toEqual([err]);
    });

    it("removes the pending entry when the caller unsubscribes, and drops the late answer quietly", async () => {
      const { transport, rpc, protocolErrors } = setup();
      const seen: unknown[] = [];
      const sub = rpc.request$("thread/archive", { threadId: "t" }).subscribe({ next: (v) => seen.push(v), error: (e: unknown) => seen.push(e) });
      sub.unsubscribe();
      transport.receive({ id: 1, result: {} });
      expect(seen).toEqual([]);
      expect(protocolErrors).toEqual([]);
      // Only once: the same id again, or an id never sent, is a protocol error.
      transport.receive({ id: 1, result: {} });
      transport.receive({ id: 77, result: {} });
      expect(protocolErrors.map((e) => e.message)).toEqual(["response for unknown request id 1", "response for unknown request id 77"]);
    });

    it("times out in virtual time with a typed error and forgets the request", () => {
      const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
      scheduler.run(({ expectObservable }) => {
        const { transport, rpc, protocolErrors } = setup({ scheduler, requestTimeoutMs: 50 });
        expectObservable(rpc.request$("thread/archive", { threadId: "t" })).toBe("50ms #", undefined, new RequestTimeoutError("thread/archive", 50));
        scheduler.schedule(() => {
          // The timed-out request was forgotten: its late answer is dropped, not delivered.
          transport.receive({ id: 1, result: {} });
          expect(protocolErrors).toHaveLength(0);
          transport.receive({ id: 1, result: {} });
          expect(protocolErrors).toHaveLength(1);
        }, 60);
      });
    });

    it("lets a per-call timeout override the default", () => {
      const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
      scheduler.run(({ expectObservable }) => {
        const { transport, rpc } = setup({ scheduler, requestTimeoutMs: 50 });
        scheduler.schedule(() => transport.receive({ id: 1, result: {} }), 80);
        expectObservable(rpc.request$("thread/archive", { threadId: "t" }, { timeoutMs: 100 })).toBe("80ms (r|)", { r: {} });
      });
    });
  });

  describe("notifications", () => {
    it("emits validated notifications in wire order", () => {
      const { transport, notifications } = setup();
      transport.receive(turnStarted("th", "A"));
      transport.receive(delta("th", "A", "m", "hi"));
      expect(notifications.map((n) => n.method)).toEqual(["turn/started", "item/agentMessage/delta"]);
      expect(notifications[1]?.params).toEqual({ threadId: "th", turnId: "A", itemId: "m", delta: "hi" });
    });

    it("passes unknown methods through untouched (forward compatible)", () => {
      const { transport, notifications, protocolErrors } = setup();
      transport.receive({ method: "future/thing", params: { x: [1] } });
      expect(notifications).toEqual([{ method: "future/thing", params: { x: [1] } }]);
      expect(protocolErrors).toEqual([]);
    });

    it("reports malformed messages on protocolErrors$ and goes on", () => {
      const { transport, notifications, protocolErrors } = setup();
      const bad = [
        "not json",
        '{"method":"turn/started","params":',
        "[1,2]",
        "42",
        '"a string"',
        JSON.stringify({ method: "item/agentMessage/delta", params: { threadId: "t", turnId: 5, itemId: "m", delta: "x" } }),
        JSON.stringify({ method: 7 }),
        JSON.stringify({ hello: "world" }),
        JSON.stringify({ id: null, error: { code: -32700, message: "Parse error" } }),
        "\u0000\u0000",
      ];
      for (const line of bad) transport.receive(line);
      transport.receive(delta("th", "A", "m", "still here"));
      expect(protocolErrors).toHaveLength(bad.length);
      expect(protocolErrors.every((e) => e instanceof ProtocolError)).toBe(true);
      expect(protocolErrors[5]?.method).toBe("item/agentMessage/delta");
      expect(protocolErrors[5]?.issues[0]?.path).toEqual(["turnId"]);
      expect(protocolErrors[5]?.message).toMatch(/invalid params for notification item\/agentMessage\/delta at turnId/);
      expect(notifications.map((n) => n.params)).toEqual([{ threadId: "th", turnId: "A", itemId: "m", delta: "still here" }]);
    });
  });

  describe("server requests", () => {
    const approval = {
      id: 99,
      method: "item/commandExecution/requestApproval",
      params: { threadId: "th", turnId: "A", itemId: "i", command: "ls", cwd: "/tmp", startedAtMs: 1795526024000 },
    };

    it("answers -32601 when nothing handles the request", () => {
      const { transport, serverRequests } = setup();
      transport.receive({ id: "s1", method: "future/request", params: {} });
      expect(transport.sent).toEqual([{ id: "s1", error: { code: -32601, message: "codex-rx has no handler for server request future/request" } }]);
      expect(serverRequests).toHaveLength(1);
    });

    it("answers with a handler's sync result and shows request and answer on serverRequests$", () => {
      const { transport, serverRequests } = setup({ handleServerRequest: () => ({ decision: "accept" }) });
      transport.receive(approval);
      expect(transport.sent).toEqual([{ id: 99, result: { decision: "accept" } }]);
      expect(serverRequests[0]?.request.method).toBe("item/commandExecution/requestApproval");
      expect(serverRequests[0]?.response).toEqual({ result: { decision: "accept" } });
    });

    it("answers with a Promise's value and -32603 when the handler throws or rejects", async () => {
      let call = 0;
      const { transport } = setup({
        handleServerRequest: () => {
          call++;
          if (call === 1) return Promise.resolve({ decision: "decline" });
          if (call === 2) throw new Error("boom");
          return Promise.reject(new Error("later boom"));
        },
      });
      transport.receive(approval);
      transport.receive({ ...approval, id: 100 });
      transport.receive({ ...approval, id: 101 });
      await tick();
      expect(transport.sent).toEqual([
        { id: 100, error: { code: -32603, message: "client handler for item/commandExecution/requestApproval failed: boom" } },
        { id: 99, result: { decision: "decline" } },
        { id: 101, error: { code: -32603, message: "client handler for item/commandExecution/requestApproval failed: later boom" } },
      ]);
    });
  });

  describe("when the wire closes", () => {
    it("fails every pending request and the notification stream with TransportClosedError when the process dies", async () => {
      const { transport, rpc } = setup();
      const pending = [rpc.request("thread/archive", { threadId: "a" }), rpc.request("thread/archive", { threadId: "b" })];
      const stream = firstValueFrom(rpc.notifications$.pipe(toArray()));
      transport.die(137, "SIGKILL");
      for (const p of pending) {
        const err = await p.catch((e: unknown) => e);
        expect(err).toBeInstanceOf(TransportClosedError);
        expect(err).toMatchObject({ exitCode: 137, signal: "SIGKILL", stderrTail: "fatal: out of cheese" });
      }
      await expect(stream).rejects.toBeInstanceOf(TransportClosedError);
      expect(rpc.closed).toBe(true);
      await expect(rpc.request("thread/archive", { threadId: "c" })).rejects.toBeInstanceOf(TransportClosedError);
    });

    it("completes the streams and fails pending requests on close()", async () => {
      const { rpc } = setup();
      const pending = rpc.request("thread/archive", { threadId: "a" });
      const stream = firstValueFrom(rpc.notifications$.pipe(toArray()));
      await rpc.close();
      await expect(pending).rejects.toMatchObject({ name: "TransportClosedError", reason: "closed by client" });
      await expect(stream).resolves.toEqual([]);
      await rpc.close();
    });
  });
});
