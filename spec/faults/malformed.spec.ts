// Fault injection, hostile server output: malformed lines, answers to nobody, unknown server requests.
// The server is spec/fixtures/stand-ins/hostile.mjs (CODEX_RX_FAULT selects what it does).
import { firstValueFrom, filter } from "rxjs";
import { Codex, ProtocolError, ofMethod, type Notification, type ServerRequestEvent } from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { lost, orphan, reportFaults, tried } from "./faultTally.js";
import { observerCounts, since, standIn } from "./support.js";

interface Client {
  readonly codex: Codex;
  readonly transport: StdioTransport;
  readonly protocolErrors: ProtocolError[];
  readonly notifications: Notification[];
  readonly serverRequests: ServerRequestEvent[];
  /** Set when notifications$ ended: it must not, while the process lives. */
  ended: string | undefined;
}

async function startHostile(mode: string): Promise<Client> {
  const transport = new StdioTransport({ codexPath: standIn("hostile"), env: { CODEX_RX_FAULT: mode }, killTimeoutMs: 200 });
  // The stand-in runs no turns and knows no accounts: without the account check, the hot subjects
  // hold this file's own subscriptions only.
  const codex = await Codex.start({ transport, authCheck: false });
  const client: Client = { codex, transport, protocolErrors: [], notifications: [], serverRequests: [], ended: undefined };
  codex.protocolErrors$.subscribe((e) => client.protocolErrors.push(e));
  codex.serverRequests$.subscribe((e) => client.serverRequests.push(e));
  codex.notifications$.subscribe({
    next: (n) => client.notifications.push(n),
    error: (e: unknown) => (client.ended = `error: ${String(e)}`),
    complete: () => (client.ended ??= "complete"),
  });
  return client;
}

/**
 * Checks nothing leaked, then closes: only this file's own three subscriptions are left on the hot
 * subjects (every `firstValueFrom` and request has let go), and after close the child is gone.
 */
async function closeAndCheck(client: Client): Promise<void> {
  expect(observerCounts(client.codex["rpc"])).toEqual({ notifications: 1, serverRequests: 1, protocolErrors: 1 });
  expect(client.codex["rpc"]["pending"].size).toBe(0);
  const pid = client.transport.pid as number;
  await client.codex.close();
  expect(orphan(pid)).toBe(false);
  expect(observerCounts(client.codex["rpc"])).toEqual({ notifications: 0, serverRequests: 0, protocolErrors: 0 });
}

afterAll(() => reportFaults(import.meta.url));

describe("fault injection: malformed server output (stand-in)", () => {
  it("reports each of 1,000 malformed lines in a row on protocolErrors$, goes on, and delivers the next valid messages", async () => {
    const client = await startHostile("malformed");
    const { codex } = client;
    const marker = firstValueFrom(codex.notifications$.pipe(ofMethod("configWarning")));
    const t0 = performance.now();
    // The stand-in answers model/list {limit: N} with N malformed lines, a valid notification, then the response.
    const response = await codex.request("model/list", { limit: 1000 });
    const elapsed = since(t0);
    tried("1,000 malformed lines (non-JSON, non-objects, wrong types, truncated, NUL bytes, invalid UTF-8, two 1 MB lines)");

    expect(response).toEqual({ data: [], nextCursor: null });
    expect((await marker).params.summary).toBe("after 1000 malformed lines");
    // Every bad line surfaced exactly once, as a typed error, before the valid message that followed.
    expect(lost(1000, client.protocolErrors.length)).toBe(0);
    expect(client.protocolErrors).toHaveLength(1000);
    expect(client.protocolErrors.every((e) => e instanceof ProtocolError)).toBe(true);
    expect(client.notifications.map((n) => n.method)).toEqual(["configWarning"]);
    const messages = new Set(client.protocolErrors.map((e) => e.message.replace(/\(.*$/, "").trim()));
    expect([...messages]).toEqual(
      expect.arrayContaining([
        "malformed message: not JSON",
        "malformed message: not a JSON object",
        "malformed message: method must be a string",
        "malformed message: neither request, notification nor response",
        "malformed request: id must be a string or an integer",
        "response for unknown request id 424242",
        expect.stringMatching(/^invalid params for notification item\/agentMessage\/delta at turnId/),
        expect.stringMatching(/^invalid params for notification turn\/started at turn/),
        expect.stringMatching(/^error response without id/),
      ]),
    );
    // The 1 MB lines are reported without keeping them: raw is cut to 2,000 characters.
    expect(Math.max(...client.protocolErrors.map((e) => e.raw.length))).toBe(2000);
    expect(client.ended).toBeUndefined();
    expect(codex["rpc"].closed).toBe(false);
    // Time bound: 1,000 bad lines (2 MB in all) cost the client well under a second here.
    expect(elapsed).toBeLessThan(2000);

    // And the connection is as good as new.
    await expect(codex.request("model/list", { limit: 3 })).resolves.toEqual({ data: [], nextCursor: null });
    expect(client.protocolErrors).toHaveLength(1003);
    await closeAndCheck(client);
  });

  it("reports a response for an unknown id and goes on", async () => {
    const client = await startHostile("malformed");
    const { codex } = client;
    tried("a response for an unknown request id");
    // The 20th kind of line the stand-in sends is {"id":424242,"result":{}}: nobody asked.
    await codex.request("model/list", { limit: 20 });
    const unknown = client.protocolErrors.filter((e) => e.message === "response for unknown request id 424242");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.raw).toBe('{"id":424242,"result":{}}');
    expect(client.ended).toBeUndefined();
    await closeAndCheck(client);
  });

  it("rejects a request whose result has the wrong type with ProtocolError, and the connection lives", async () => {
    const client = await startHostile("malformed");
    const { codex } = client;
    tried("a result of the wrong type");
    const t0 = performance.now();
    // -1 is not a valid limit, so codex-rx would refuse it; the stand-in uses it as its cue.
    const error = await codex.request("model/list", { limit: -1 }, { skipParamsValidation: true }).catch((e: unknown) => e);
    expect(since(t0)).toBeLessThan(1000);
    expect(error).toBeInstanceOf(ProtocolError);
    expect(error).toMatchObject({ method: "model/list" });
    expect((error as ProtocolError).issues[0]?.path).toEqual(["data"]);
    expect(client.protocolErrors).toEqual([error]);
    await expect(codex.request("model/list", { limit: 0 })).resolves.toEqual({ data: [], nextCursor: null });
    await closeAndCheck(client);
  });
});

describe("fault injection: server requests the client cannot serve (stand-in)", () => {
  it("answers a server request of an unknown method with -32601, and one with invalid params with -32602", async () => {
    const client = await startHostile("unknown-request");
    const { codex } = client;
    tried("a server request for an unknown method");
    tried("a server request with invalid params");
    const report = firstValueFrom(codex.notifications$.pipe(ofMethod("configWarning"), filter((n) => n.params.summary === "answers received")));
    const t0 = performance.now();
    await codex.request("model/list", {});
    expect(since(t0)).toBeLessThan(1000);
    // What the stand-in read back from us, verbatim.
    const received = JSON.parse((await report).params.details ?? "null") as unknown;
    expect(received).toEqual([
      { id: "srv-1", error: { code: -32601, message: "codex-rx has no handler for server request future/mysteryRequest" } },
      { id: "srv-2", error: { code: -32602, message: expect.stringMatching(/^invalid params for server request item\/commandExecution\/requestApproval/) } },
    ]);
    expect(client.serverRequests.map((e) => [e.request.id, e.request.method, "error" in e.response ? e.response.error.code : "result"])).toEqual([
      ["srv-1", "future/mysteryRequest", -32601],
      ["srv-2", "item/commandExecution/requestApproval", -32602],
    ]);
    expect(client.protocolErrors.map((e) => e.method)).toEqual(["item/commandExecution/requestApproval"]);
    expect(lost(2, received instanceof Array ? received.length : 0)).toBe(0);
    await closeAndCheck(client);
  });
});
