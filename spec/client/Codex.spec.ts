import { defer, firstValueFrom } from "rxjs";
import { InvalidInputError, JsonRpcError, retryOnOverload, type Codex } from "../../src/index.js";
import type { FakeAppServer } from "../../src/testing/index.js";
import { fakeCodex } from "../helpers/fakeCodex.js";

let server: FakeAppServer;
let codex: Codex;

beforeEach(async () => {
  ({ server, codex } = await fakeCodex());
});
afterEach(() => codex.close());

describe("codex.request", () => {
  it("sends any client method with its params and resolves with the result", async () => {
    const { thread } = await codex.request("thread/start", { cwd: "/repo" });
    const read = await codex.request("thread/read", { threadId: thread.id, includeTurns: false });
    expect(read.thread.id).toBe(thread.id);
    expect(server.requests("thread/read").map((r) => r.params)).toEqual([{ threadId: thread.id, includeTurns: false }]);
  });

  it("refuses params the pinned protocol does not know, and sends nothing", async () => {
    await expect(codex.request("model/list", { limt: 1 } as never)).rejects.toThrow(InvalidInputError);
    expect(server.requests("model/list")).toEqual([]);
  });

  it("fails with the server's JSON-RPC error", async () => {
    server.fail("model/list", { code: -32603, message: "boom" });
    const error: unknown = await codex.request("model/list", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonRpcError);
    expect((error as JsonRpcError).code).toBe(-32603);
  });

  it("in defer(), sends a new request per subscription, so retryOnOverload retries it", async () => {
    server.fail("model/list", { code: -32001, message: "Server overloaded; retry later." }, 2);
    const models = await firstValueFrom(defer(() => codex.request("model/list", {})).pipe(retryOnOverload({ initialDelayMs: 1, maxDelayMs: 1 })));
    expect(models.data.length).toBeGreaterThan(0);
    expect(server.requests("model/list")).toHaveLength(3);
  });
});
