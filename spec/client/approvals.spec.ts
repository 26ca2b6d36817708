import { of } from "rxjs";
import { toServerRequestHandler } from "../../src/client/approvals.js";
import type { ServerRequest } from "../../src/rpc/RpcConnection.js";
import { RpcConnection } from "../../src/rpc/RpcConnection.js";
import { MemoryTransport } from "../helpers/MemoryTransport.js";

const approval: ServerRequest = {
  id: 1,
  method: "item/commandExecution/requestApproval",
  params: { threadId: "th", turnId: "A", itemId: "i", command: "rm -rf build", cwd: "/repo", startedAtMs: 1 },
};
const fileChange: ServerRequest = { id: 2, method: "item/fileChange/requestApproval", params: { threadId: "th", turnId: "A", itemId: "j", startedAtMs: 1 } };

describe("toServerRequestHandler", () => {
  it("calls the method's typed callback with the params and the request", () => {
    const calls: unknown[] = [];
    const handler = toServerRequestHandler(
      {
        "item/commandExecution/requestApproval": (params, request) => {
          calls.push([params.command, request.id]);
          return { decision: "decline" };
        },
      },
      undefined,
    );
    expect(handler(approval)).toEqual({ decision: "decline" });
    expect(calls).toEqual([["rm -rf build", 1]]);
  });

  it("falls back to the catch-all, and declines (undefined) without either", () => {
    const withFallback = toServerRequestHandler({ "item/commandExecution/requestApproval": () => ({ decision: "accept" }) }, () => ({ fallback: true }));
    expect(withFallback(fileChange)).toEqual({ fallback: true });
    expect(toServerRequestHandler(undefined, undefined)(fileChange)).toBeUndefined();
    expect(toServerRequestHandler({}, undefined)(approval)).toBeUndefined();
  });

  it("answers user input with the same callbacks, and a callback's undefined declines without reaching the catch-all", () => {
    const userInput: ServerRequest = { id: 3, method: "item/tool/requestUserInput", params: { threadId: "th", turnId: "A", itemId: "k", questions: [] } };
    const handler = toServerRequestHandler(
      { "item/tool/requestUserInput": () => ({ answers: {} }), "item/fileChange/requestApproval": () => undefined as never },
      () => ({ fallback: true }),
    );
    expect(handler(userInput)).toEqual({ answers: {} });
    expect(handler(fileChange)).toBeUndefined();
  });

  it("answers over the wire with Observable results too (first value)", async () => {
    const transport = new MemoryTransport();
    new RpcConnection(transport, {
      handleServerRequest: toServerRequestHandler({ "item/fileChange/requestApproval": () => of({ decision: "acceptForSession" as const }) }, undefined),
    });
    transport.receive({ ...fileChange, id: 9 });
    await new Promise((r) => setImmediate(r));
    expect(transport.sent).toEqual([{ id: 9, result: { decision: "acceptForSession" } }]);
  });
});
