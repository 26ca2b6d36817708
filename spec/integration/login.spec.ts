import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { firstValueFrom, lastValueFrom, take, timeout, toArray } from "rxjs";
import { CodexError, RequestTimeoutError, type AccountState, type Codex } from "../../src/index.js";
import { InternalRpcError } from "../../src/index.js";
import { codexHomeFor, type CodexHome } from "../../src/testing/index.js";
import { createHarness, type Harness } from "./harness.js";

// Login against the real app-server, on a host without internet. The home's mock provider says
// it requires OpenAI auth, so `account/read` reports the stored credentials (a provider that does
// not require it reports `account: null` whatever the login: measured on 0.169.0).

let h: Harness;
let home: CodexHome;

async function start(): Promise<Codex> {
  return h.start({ env: { CODEX_HOME: home.path, OPENAI_API_KEY: "" } });
}

/** True when nothing listens on 127.0.0.1:port (we can bind it ourselves). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** Polls until the port is free (the server closes its callback listener just after the completion). */
async function portFreesWithin(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await portIsFree(port)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function callbackPortOf(authUrl: string): number {
  const redirect = new URL(new URL(authUrl).searchParams.get("redirect_uri") ?? "");
  expect(redirect.hostname).toBe("127.0.0.1");
  return Number(redirect.port);
}

beforeAll(async () => {
  h = await createHarness();
  home = await codexHomeFor(h.fake, { provider: { requires_openai_auth: true } });
});

afterAll(async () => {
  await h.dispose();
  await home.cleanup();
});

afterEach(() => {
  expect(h.protocolErrors).toEqual([]);
});

describe("login against the real app-server", () => {
  it("logs in with an API key, shows it in account() and account$, and logs out", async () => {
    const codex = await start();
    const states: AccountState[] = [];
    const three = lastValueFrom(codex.account$.pipe(take(3), toArray(), timeout(15_000)));
    const sub = codex.account$.subscribe((s) => states.push(s));
    expect((await firstValueFrom(codex.account$)).account).toBeNull();

    await codex.loginApiKey("sk-test-not-a-real-key");
    const after = await codex.account();
    expect(after.account).toEqual({ type: "apiKey" });
    expect(after.requiresOpenaiAuth).toBe(true);
    // Stored in the isolated CODEX_HOME, nowhere else.
    expect(existsSync(path.join(home.path, "auth.json"))).toBe(true);

    await codex.logout();
    expect((await codex.account()).account).toBeNull();
    expect((await codex.account({ refreshToken: true })).account).toBeNull();

    const emitted = await three;
    expect(emitted.map((s) => s.account)).toEqual([null, { type: "apiKey" }, null]);
    // A second subscriber shared the same reads and saw the same states.
    expect(states.map((s) => s.account)).toEqual([null, { type: "apiKey" }, null]);
    sub.unsubscribe();
  });

  it("starts a browser login (local callback server, authUrl), cancels it, and frees the port", async () => {
    const codex = await start();
    const login = await codex.loginChatgpt();
    const url = new URL(login.authUrl);
    expect(url.protocol).toBe("https:");
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(login.loginId).toMatch(/^[0-9a-f-]{36}$/);
    const port = callbackPortOf(login.authUrl);
    expect(await portIsFree(port)).toBe(false);

    await expect(login.cancel()).resolves.toBe("canceled");
    const completion = await login.wait();
    expect(completion).toMatchObject({ loginId: login.loginId, success: false });
    expect(completion.error).toMatch(/not completed/);
    expect(await portFreesWithin(port, 3000)).toBe(true);
    // Cancelling again is harmless.
    await expect(login.cancel()).resolves.toBe("notFound");
    expect((await codex.account()).account).toBeNull();
  });

  it("a newer browser login replaces the older one: only the older handle completes, unsuccessfully", async () => {
    const codex = await start();
    const first = await codex.loginChatgpt();
    const second = await codex.loginChatgpt();
    expect(second.loginId).not.toBe(first.loginId);
    await expect(first.wait()).resolves.toMatchObject({ loginId: first.loginId, success: false, error: expect.stringMatching(/cancelled/i) });
    // The older attempt's completion never reached the newer handle.
    const pending = await firstValueFrom(second.completed$.pipe(timeout({ first: 300, with: () => ["still open"] })));
    expect(pending).toBe("still open");
    await second.cancel();
    await expect(second.wait()).resolves.toMatchObject({ loginId: second.loginId, success: false });
  });

  it("answers a device-code login with a handle or a typed error, within its bound", async () => {
    const codex = await start();
    const bound = 10_000;
    const t0 = Date.now();
    const outcome = await codex.loginChatgptDeviceCode({ timeoutMs: bound }).then(
      (handle) => ({ handle, error: undefined }),
      (error: unknown) => ({ handle: undefined, error }),
    );
    expect(Date.now() - t0).toBeLessThan(bound + 2_000);
    if (outcome.handle !== undefined) {
      // With internet: a code to show; cancel it so it does not linger.
      expect(new URL(outcome.handle.verificationUrl).protocol).toBe("https:");
      expect(outcome.handle.userCode.length).toBeGreaterThan(0);
      await outcome.handle.cancel();
      await expect(outcome.handle.wait()).resolves.toMatchObject({ success: false });
    } else {
      // Without: the server cannot reach auth.openai.com (InternalRpcError), or it took too long.
      expect(outcome.error).toBeInstanceOf(CodexError);
      expect(outcome.error instanceof InternalRpcError || outcome.error instanceof RequestTimeoutError).toBe(true);
    }
    // The server is still fine afterwards.
    expect((await codex.account()).requiresOpenaiAuth).toBe(true);
  });
});
