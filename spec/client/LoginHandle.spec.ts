import { LoginIncompleteError, type Codex } from "../../src/index.js";
import type { FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex, virtualCodex } from "../helpers/fakeCodex.js";
import { marbles, recordFrames } from "../helpers/virtualMarbles.js";

// Login handles and the account over the in-memory fake app-server.

let server: FakeAppServer;
let codex: Codex;
beforeEach(async () => {
  ({ server, codex } = await fakeCodex());
});
afterEach(() => codex.close());

describe("ChatgptLoginHandle", () => {
  it("completes when the browser comes back: wait() resolves with success and the account is ChatGPT", async () => {
    const login = await codex.loginChatgpt();
    expect(login.type).toBe("chatgpt");
    expect(login.authUrl).toContain(login.loginId);
    server.completeLogin();
    expect(await login.wait()).toMatchObject({ loginId: login.loginId, success: true, error: null });
    expect((await codex.account()).account).toMatchObject({ type: "chatgpt", planType: "plus" });
  });

  it("cancel() asks the server, which completes the attempt unsuccessfully", async () => {
    const login = await codex.loginChatgpt();
    expect(await login.cancel()).toBe("canceled");
    expect(server.requests("account/login/cancel").map((r) => r.params)).toEqual([{ loginId: login.loginId }]);
    expect(await login.wait()).toMatchObject({ success: false, error: "Login server error: Login was not completed" });
    // Cancelling again is harmless: notFound, and the completion stays what it was.
    expect(await login.cancel()).toBe("notFound");
    expect((await login.wait()).success).toBe(false);
  });

  it("cancel() completes the handle itself when the server sends no completion in time", async () => {
    server.handle("account/login/cancel", () => ({ result: { status: "canceled" as const } }));
    const login = await codex.loginChatgpt({ cancelGraceMs: 10 });
    await login.cancel();
    expect(await login.wait()).toEqual({ loginId: login.loginId, success: false, error: "login cancelled by the client" });
  });

  it("a newer attempt replaces the one in progress, which then ends with success false", async () => {
    const first = await codex.loginChatgpt();
    const second = await codex.loginChatgpt();
    expect((await first.wait()).success).toBe(false);
    server.completeLogin({ loginId: second.loginId });
    expect((await second.wait()).success).toBe(true);
  });

  it("await using cancels an attempt that has not ended", async () => {
    {
      await using login = await codex.loginChatgpt();
      expect(login.loginId).toBeTruthy();
    }
    expect(server.requests("account/login/cancel")).toHaveLength(1);
  });

  it("fails with LoginIncompleteError when the client closes first", async () => {
    const login = await codex.loginChatgpt();
    const waiting = login.wait();
    await codex.close();
    await expect(waiting).rejects.toThrow(LoginIncompleteError);
  });

  it("keeps its completion for late subscribers: one value, then complete (virtual time)", async () => {
    const v = await virtualCodex({ latencyMs: 5 });
    const login = await v.settle(v.codex.loginChatgpt());
    const early = recordFrames(login.completed$, v.scheduler);
    await v.server.advance(100);
    v.server.completeLogin({ success: false, error: "denied in the browser" });
    await v.server.advance();
    const completion = { loginId: login.loginId, success: false, error: "denied in the browser" };
    expect(early.messages).toEqual(marbles("100ms (a|)", { a: completion }));
    const late = recordFrames(login.completed$, v.scheduler);
    expect(late.messages).toEqual(marbles("(a|)", { a: completion }));
    await v.codex.close();
  });
});

describe("DeviceCodeLoginHandle", () => {
  it("shows a code and URL, and completes when the user has entered it", async () => {
    const dc = await codex.loginChatgptDeviceCode();
    expect(dc).toMatchObject({ type: "chatgptDeviceCode", verificationUrl: expect.stringMatching(/^https:\/\//), userCode: expect.any(String) });
    server.completeLogin({ loginId: dc.loginId });
    expect((await dc.wait()).success).toBe(true);
  });

  it("fails with the server's JSON-RPC error when it cannot get a code", async () => {
    server.fail("account/login/start", { code: -32603, message: "failed to request device code" });
    await expect(codex.loginChatgptDeviceCode()).rejects.toMatchObject({ name: "InternalRpcError", code: -32603 });
  });
});

describe("API key login and the account", () => {
  it("loginApiKey stores the key, account$ follows login and logout", async () => {
    const v = await virtualCodex();
    const states: (string | null)[] = [];
    const subscription = v.codex.account$.subscribe((s) => states.push(s.account?.type ?? null));
    await v.server.advance();
    await v.settle(v.codex.loginApiKey("sk-test"));
    await v.settle(v.codex.logout());
    expect(states).toEqual([null, "apiKey", null]);
    expect(v.server.requests("account/login/start")[0]?.params).toEqual({ type: "apiKey", apiKey: "sk-test" });
    subscription.unsubscribe();
    await v.codex.close();
  });
});
