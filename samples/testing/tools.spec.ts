// A test you can copy: your own tool, unit-tested against the in-memory fake app-server, its
// timeout in virtual time (no binary, no network, no real waiting). Run with `npm test`.
import { NEVER } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { z } from "zod";
import { Codex, tool } from "codex-rx";
import { fakeAppServer, turnStep } from "codex-rx/testing";

// The code under test: a tool that looks a price up in a catalogue (`lookup` is its backend).
function priceTool(lookup: (sku: string, signal: AbortSignal) => Promise<number>) {
  return tool({
    name: "get_price",
    description: "The price of a product, in euros.",
    parameters: z.object({ sku: z.string().regex(/^[A-Z]{3}-\d+$/) }),
    timeoutMs: 2_000,
    execute: async ({ sku }, { signal }) => `${sku}: ${await lookup(sku, signal)} €`,
  });
}

describe("get_price (fake app-server)", () => {
  it("answers the model's call, and rejects a malformed SKU without calling the backend", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport, experimentalApi: true });
    const asked: string[] = [];
    const thread = await codex.threadStart({ tools: [priceTool(async (sku) => (asked.push(sku), 12.5))] });
    server.enqueue({ steps: [turnStep.toolCall("get_price", { sku: "ABC-1" }), turnStep.toolCall("get_price", { sku: "abc" })], text: "done" });

    const result = await thread.run("price of ABC-1?");
    expect(asked).toEqual(["ABC-1"]);
    const answers = server.answers.map((a) => a.response);
    expect(answers[0]).toEqual({ result: { success: true, contentItems: [{ type: "inputText", text: "ABC-1: 12.5 €" }] } });
    expect(answers[1]).toMatchObject({ result: { success: false } });
    expect(result.items.filter((i) => i.type === "dynamicToolCall").map((i) => i.status)).toEqual(["completed", "failed"]);
  });

  it("times out after 2 s of virtual time and aborts the backend call", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const server = fakeAppServer({ scheduler });
    // On a virtual clock the fake answers only when the clock moves: move it, then await.
    const settle = async <T>(promise: Promise<T>): Promise<T> => (await server.advance(), promise);
    await using codex = await settle(Codex.start({ transport: server.transport, experimentalApi: true, scheduler }));
    let signal: AbortSignal | undefined;
    const hangs = priceTool((_sku, s) => ((signal = s), new Promise<number>(() => NEVER)));
    const thread = await settle(codex.threadStart({ tools: [hangs] }));
    server.enqueue({ steps: [turnStep.toolCall("get_price", { sku: "ABC-1" })] });
    const run = thread.run("price?");
    await server.advance(1_999);
    expect(server.answers).toEqual([]);
    await server.advance(1);
    expect(server.answers.map((a) => a.response)).toEqual([{ result: { success: false, contentItems: [{ type: "inputText", text: 'Tool "get_price" timed out after 2000 ms.' }] } }]);
    expect(signal?.aborted).toBe(true);
    await server.advance();
    await run;
  });
});
