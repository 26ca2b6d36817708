import { firstValueFrom, lastValueFrom, take, toArray } from "rxjs";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import { NotificationRouter } from "../../src/routing/NotificationRouter.js";
import {
  InternalRpcError,
  ProtocolError,
  RequestTimeoutError,
  TransportClosedError,
  LoginIncompleteError,
} from "../../src/errors/index.js";
import { loginApiKey, startChatgptLogin, startDeviceCodeLogin } from "../../src/client/login.js";
import { accountState$ } from "../../src/client/account.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

// The test plays the app-server over an in-memory transport, with the shapes 0.169.0 sends.

interface Sent {
  readonly id?: number;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

function setup() {
  const transport = new MemoryTransport();
  const rpc = new RpcConnection(transport);
  const connection = { rpc, router: new NotificationRouter(rpc) };
  const protocolErrors: ProtocolError[] = [];
  rpc.protocolErrors$.subscribe((e) => protocolErrors.push(e));
  const sent = (): Sent[] => transport.sent as Sent[];
  const lastId = (method: string): number => {
    const found = [...sent()].reverse().find((m) => m.method === method);
    if (found?.id === undefined) throw new Error(`no ${method} sent`);
    return found.id;
  };
  const completed = (loginId: string | null, success: boolean, error: string | null = null) =>
    transport.receive({ method: "account/login/completed", params: { loginId, success, error, onboardingEntrypoint: null } });
  const browserStarted = (id: number, loginId: string) =>
    transport.receive({ id, result: { type: "chatgpt", loginId, authUrl: `https://auth.openai.com/oauth/authorize?redirect_uri=http%3A%2F%2F127.0.0.1%3A1455%2Fauth%2Fcallback&x=${loginId}` } });
  return { transport, rpc, connection, protocolErrors, sent, lastId, completed, browserStarted };
}

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("login handles", () => {
  it("keep a completion that arrives before the account/login/start response", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.completed("L1", true);
    s.browserStarted(s.lastId("account/login/start"), "L1");
    const login = await started;
    expect(login.loginId).toBe("L1");
    expect(login.authUrl).toMatch(/^https:\/\/auth\.openai\.com\//);
    await expect(login.wait()).resolves.toEqual({ loginId: "L1", success: true, error: null, onboardingEntrypoint: null });
    expect(s.protocolErrors).toEqual([]);
  });

  it("send { type: 'chatgpt' } with the wire options, not the client-side ones", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection, { useHostedLoginSuccessPage: true, timeoutMs: 5000, cancelGraceMs: 10 });
    expect(s.sent()[0]).toEqual({ id: 1, method: "account/login/start", params: { type: "chatgpt", useHostedLoginSuccessPage: true } });
    s.browserStarted(1, "L1");
    await started;
  });

  it("never see the completion of the attempt they replaced, nor of a concurrent one", async () => {
    const s = setup();
    const first = startChatgptLogin(s.connection);
    s.browserStarted(1, "A");
    const a = await first;
    const second = startChatgptLogin(s.connection);
    // The server replaces A: A's completion arrives before B's start response.
    s.completed("A", false, "Login server error: Login cancelled");
    s.browserStarted(2, "B");
    const b = await second;
    const third = startDeviceCodeLogin(s.connection);
    s.transport.receive({ id: 3, result: { type: "chatgptDeviceCode", loginId: "C", userCode: "ABCD-1234", verificationUrl: "https://auth.openai.com/codex/device" } });
    const c = await third;
    expect([c.userCode, c.verificationUrl]).toEqual(["ABCD-1234", "https://auth.openai.com/codex/device"]);
    s.completed("C", true);
    s.completed(null, true); // an API-key login's completion belongs to no handle
    s.completed("B", false, "Login server error: Login was not completed");
    await expect(a.wait()).resolves.toMatchObject({ loginId: "A", success: false, error: "Login server error: Login cancelled" });
    await expect(b.wait()).resolves.toMatchObject({ loginId: "B", success: false });
    await expect(c.wait()).resolves.toMatchObject({ loginId: "C", success: true });
  });

  it("emit one value, then complete, replayed to late subscribers", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.browserStarted(1, "L1");
    const login = await started;
    const early = lastValueFrom(login.completed$.pipe(toArray()));
    s.completed("L1", true);
    s.completed("L1", false); // a duplicate never reaches the handle
    expect(await early).toEqual([expect.objectContaining({ loginId: "L1", success: true })]);
    expect(await lastValueFrom(login.completed$.pipe(toArray()))).toEqual([expect.objectContaining({ success: true })]);
  });

  it("cancel() sends account/login/cancel and wait() resolves with the server's unsuccessful completion", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.browserStarted(1, "L1");
    const login = await started;
    const cancelled = login.cancel();
    expect(s.sent()[1]).toEqual({ id: 2, method: "account/login/cancel", params: { loginId: "L1" } });
    s.transport.receive({ id: 2, result: { status: "canceled" } });
    await tick();
    s.completed("L1", false, "Login server error: Login was not completed");
    await expect(cancelled).resolves.toBe("canceled");
    await expect(login.wait()).resolves.toMatchObject({ success: false, error: "Login server error: Login was not completed" });
  });

  it("cancel() makes up an unsuccessful completion when the server sends none within the grace period", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection, { cancelGraceMs: 20 });
    s.browserStarted(1, "L1");
    const login = await started;
    const cancelled = login.cancel();
    s.transport.receive({ id: 2, result: { status: "canceled" } });
    await expect(cancelled).resolves.toBe("canceled");
    await expect(login.wait()).resolves.toEqual({ loginId: "L1", success: false, error: "login cancelled by the client" });
    s.completed("L1", true); // too late: the handle has settled
    await expect(login.wait()).resolves.toMatchObject({ success: false });
  });

  it("cancel() after the completion answers notFound and leaves the completion as it was", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.browserStarted(1, "L1");
    const login = await started;
    s.completed("L1", true);
    const cancelled = login.cancel();
    s.transport.receive({ id: 2, result: { status: "notFound" } });
    await expect(cancelled).resolves.toBe("notFound");
    await expect(login.wait()).resolves.toMatchObject({ success: true });
  });

  it("await using cancels an attempt that has not ended, and only then", async () => {
    const s = setup();
    s.transport.onSend = (m) => {
      if (m["method"] === "account/login/cancel") {
        queueMicrotask(() => {
          s.transport.receive({ id: m["id"] as number, result: { status: "canceled" } });
          s.completed("L1", false, "Login server error: Login was not completed");
        });
      }
    };
    const started = startChatgptLogin(s.connection);
    s.browserStarted(1, "L1");
    const login = await started;
    {
      await using scoped = login;
      expect(scoped.loginId).toBe("L1");
    }
    await expect(login.wait()).resolves.toMatchObject({ success: false });
    await login[Symbol.asyncDispose]();
    expect(s.sent().filter((m) => m.method === "account/login/cancel")).toHaveLength(1);
  });

  it("throw the typed JsonRpcError when the server refuses to start (device code without network)", async () => {
    const s = setup();
    const started = startDeviceCodeLogin(s.connection);
    s.transport.receive({ id: 1, error: { code: -32603, message: "failed to request device code: error sending request for url (https://auth.openai.com/api/accounts/deviceauth/usercode)" } });
    const error = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalRpcError);
    expect((error as InternalRpcError).method).toBe("account/login/start");
  });

  it("throw RequestTimeoutError past timeoutMs, and cancel the orphan attempt if the server answers later", async () => {
    const s = setup();
    const started = startDeviceCodeLogin(s.connection, { timeoutMs: 30 });
    const error = await started.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ method: "account/login/start", timeoutMs: 30 });
    s.transport.receive({ id: 1, result: { type: "chatgptDeviceCode", loginId: "LATE", userCode: "X", verificationUrl: "https://v" } });
    await tick();
    expect(s.sent()[1]).toEqual({ id: 2, method: "account/login/cancel", params: { loginId: "LATE" } });
    s.transport.receive({ id: 2, result: { status: "canceled" } });
    await tick();
    expect(s.protocolErrors).toEqual([]);
  });

  it("throw ProtocolError when the server answers another login type", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.transport.receive({ id: 1, result: { type: "apiKey" } });
    await expect(started).rejects.toBeInstanceOf(ProtocolError);
  });

  it("fail wait() with LoginIncompleteError when the client closes first, TransportClosedError when the process dies", async () => {
    const s = setup();
    const started = startChatgptLogin(s.connection);
    s.browserStarted(1, "L1");
    const login = await started;
    await s.rpc.close();
    const error = await login.wait().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LoginIncompleteError);
    expect((error as LoginIncompleteError).loginId).toBe("L1");

    const d = setup();
    const startedD = startChatgptLogin(d.connection);
    d.browserStarted(1, "L2");
    const dying = await startedD;
    d.transport.die(null, "SIGKILL");
    await expect(dying.wait()).rejects.toBeInstanceOf(TransportClosedError);
  });

  it("loginApiKey sends { type: 'apiKey', apiKey } and resolves on the answer", async () => {
    const s = setup();
    const done = loginApiKey(s.rpc, "sk-test");
    expect(s.sent()[0]).toEqual({ id: 1, method: "account/login/start", params: { type: "apiKey", apiKey: "sk-test" } });
    s.transport.receive({ id: 1, result: { type: "apiKey" } });
    await expect(done).resolves.toBeUndefined();
  });
});

describe("account$", () => {
  const state = (account: { type: "apiKey" } | null) => ({ account, requiresOpenaiAuth: true, userId: null });

  function answering(s: ReturnType<typeof setup>, states: ReturnType<typeof state>[]) {
    const reads: number[] = [];
    s.transport.onSend = (m) => {
      if (m["method"] !== "account/read") return;
      const id = m["id"] as number;
      reads.push(id);
      const next = states.shift() ?? state(null);
      setTimeout(() => s.transport.receive({ id, result: next }), 5);
    };
    return reads;
  }

  it("starts with the current account, then follows account/updated, repeats suppressed", async () => {
    const s = setup();
    const reads = answering(s, [state(null), state({ type: "apiKey" }), state({ type: "apiKey" }), state(null)]);
    const account$ = accountState$(s.rpc);
    const seen = lastValueFrom(account$.pipe(take(3), toArray()));
    await sleep(20);
    s.transport.receive({ method: "account/updated", params: { authMode: "apikey", planType: null } });
    await sleep(20);
    s.transport.receive({ method: "account/updated", params: { authMode: "apikey", planType: null } });
    await sleep(20);
    s.transport.receive({ method: "account/updated", params: { authMode: null, planType: null } });
    expect((await seen).map((v) => v.account)).toEqual([null, { type: "apiKey" }, null]);
    expect(reads).toHaveLength(4);
  });

  it("reads once for many subscribers and replays the latest value to late ones", async () => {
    const s = setup();
    const reads = answering(s, [state({ type: "apiKey" })]);
    const account$ = accountState$(s.rpc);
    const subs = [account$.subscribe(), account$.subscribe(), account$.subscribe()];
    const first = await firstValueFrom(account$);
    expect(first.account).toEqual({ type: "apiKey" });
    expect(reads).toHaveLength(1);
    subs.forEach((sub) => sub.unsubscribe());
    // Nobody listens any more: the next subscriber reads afresh.
    expect((await firstValueFrom(account$)).account).toBeNull();
    expect(reads).toHaveLength(2);
  });

  it("reads again when an update arrives during the first read (subscribe first, read second)", async () => {
    const s = setup();
    const reads = answering(s, [state(null), state({ type: "apiKey" })]);
    const seen = lastValueFrom(accountState$(s.rpc).pipe(take(2), toArray()));
    s.transport.receive({ method: "account/updated", params: { authMode: "apikey", planType: null } });
    expect((await seen).map((v) => v.account)).toEqual([null, { type: "apiKey" }]);
    expect(reads).toHaveLength(2);
  });

  it("never leaves a read behind when the last subscriber leaves mid-read (no unknown response id)", async () => {
    const s = setup();
    answering(s, [state(null)]);
    accountState$(s.rpc).subscribe().unsubscribe();
    await sleep(20);
    expect(s.protocolErrors).toEqual([]);
  });

  it("completes when the client closes, errors when the process dies", async () => {
    const s = setup();
    answering(s, [state(null)]);
    const all = lastValueFrom(accountState$(s.rpc).pipe(toArray()));
    await sleep(20);
    await s.rpc.close();
    expect(await all).toHaveLength(1);

    const d = setup();
    answering(d, [state(null)]);
    const dying = lastValueFrom(accountState$(d.rpc));
    await sleep(20);
    d.transport.die(1);
    await expect(dying).rejects.toBeInstanceOf(TransportClosedError);
  });
});
