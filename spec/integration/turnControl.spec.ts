import { firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { z } from "zod";
import { AbortError, StructuredOutputError, image, localImage, mention, ofMethod, skill, type Codex } from "../../src/index.js";
import { reply } from "../../src/testing/index.js";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { useHarness, type Harness } from "./harness.js";

let h: Harness;
let codex: Codex;
useHarness(
  (harness, client) => {
    h = harness;
    codex = client as Codex;
  },
  { startClient: true },
);

/** Resolves when the turn has streamed its first delta: the model call is surely under way. */
const streaming = (turn: { events$: import("rxjs").Observable<import("../../src/index.js").Notification> }) =>
  firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")));

describe("turn control against the real app-server", () => {
  it("interrupt() ends a running turn as interrupted and the thread stays usable", async () => {
    h.fake.enqueue(reply.hang({ text: "partial " }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("never ends");
    await streaming(turn);
    await turn.interrupt();
    const result = await turn.run();
    expect(result.status).toBe("interrupted");
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
  });

  it("steer() adds input to the running turn", async () => {
    h.fake.enqueue(reply.text("a b c d e f g h i j k l m n o p", { delayMs: 40 }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("first instruction");
    await streaming(turn);
    await turn.steer("and also this");
    const result = await turn.run();
    expect(result.status).toBe("completed");
    const userTexts = result.items.flatMap((i) => (i.type === "userMessage" ? i.content.flatMap((c) => (c.type === "text" ? [c.text] : [])) : []));
    expect(userTexts).toEqual(["first instruction", "and also this"]);
    expect(result.finalResponse).toBe("echo: and also this");
  });

  it("an AbortSignal interrupts the turn (no process kill) and run() rejects with AbortError", async () => {
    h.fake.enqueue(reply.hang());
    const thread = await codex.threadStart({ cwd: h.cwd });
    const controller = new AbortController();
    const before = h.fake.requests.length;
    const turn = await thread.turn("abort me", { signal: controller.signal });
    await h.fake.waitForRequests(before + 1); // the model call is hanging now
    const running = turn.run();
    controller.abort(new Error("user pressed Esc"));
    const error = await running.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toEqual(new Error("user pressed Esc"));
    const events = await lastValueFrom(turn.events$.pipe(toArray()));
    const last = events[events.length - 1];
    expect(last?.method === "turn/completed" && (last.params as { turn: { status: string } }).turn.status).toBe("interrupted");
    expect((await thread.run("still alive")).finalResponse).toBe("echo: still alive");
  });

  it("an abort right after start waits for the turn to be active, then interrupts it", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const controller = new AbortController();
    const turn = await thread.turn("abort at once", { signal: controller.signal });
    controller.abort();
    await expect(turn.run()).rejects.toBeInstanceOf(AbortError);
    const last = await lastValueFrom(turn.events$);
    expect(last.method).toBe("turn/completed");
    expect((await thread.run("after")).finalResponse).toBe("echo: after");
  });

  it("an already aborted signal starts no turn", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const before = h.fake.requests.length;
    await expect(thread.run("nope", { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(h.fake.requests.length).toBe(before);
  });
});

describe("AsyncIterable views", () => {
  it("for await over a turn yields every event; break cancels nothing on the server", async () => {
    h.fake.enqueue(reply.text("one two three four five", { deltas: 5 }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("iterate");
    const methods: string[] = [];
    for await (const event of turn) methods.push(event.method);
    expect(methods[0]).toBe("turn/started");
    expect(methods[methods.length - 1]).toBe("turn/completed");
    expect(methods.filter((m) => m === "item/agentMessage/delta")).toHaveLength(5);

    h.fake.enqueue(reply.text("a b c d e f g h", { delayMs: 20 }));
    const second = await thread.turn("break early");
    for await (const event of second) if (event.method === "item/agentMessage/delta") break;
    expect((await second.run()).finalResponse).toBe("a b c d e f g h");
  });

  it("progress() ends on the completed snapshot", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const turn = await thread.turn("snapshots");
    let last: import("../../src/index.js").TurnState | undefined;
    for await (const state of turn.progress()) last = state;
    expect(last?.completed).toBe(true);
    expect(last?.text).toBe("echo: snapshots");
  });
});

describe("inputs", () => {
  it("sends text, image, localImage, skill and mention items as the user message", async () => {
    const png = path.join(h.cwd, "pixel.png");
    await writeFile(png, Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await thread.run([
      image("data:image/png;base64,iVBORw0KGgo="),
      localImage(png),
      skill("release-notes", path.join(h.cwd, "skills", "release-notes")),
      mention("main.rs", path.join(h.cwd, "main.rs")),
      "look at these",
    ]);
    const user = result.items[0];
    expect(user?.type).toBe("userMessage");
    expect(user?.type === "userMessage" ? user.content.map((c) => c.type) : []).toEqual(["image", "localImage", "skill", "mention", "text"]);
    // The fake model's mock metadata has no image input, so the server replaces images by a note.
    expect(result.finalResponse).toMatch(/look at these$/);
  });
});

describe("structured output", () => {
  const schema = {
    type: "object",
    properties: { answer: { type: "integer" }, unit: { type: "string" } },
    required: ["answer", "unit"],
    additionalProperties: false,
  };

  it("sends a JSON Schema outputSchema to the model and parses the answer", async () => {
    h.fake.enqueue(reply.text('{"answer":42,"unit":"apples"}'));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await thread.run("how many?", { outputSchema: schema });
    expect(result.structuredOutput).toEqual({ answer: 42, unit: "apples" });
    expect(JSON.stringify(h.fake.requests[h.fake.requests.length - 1])).toContain('"unit"');
  });

  it("validates and types the answer with a zod outputSchema", async () => {
    const Answer = z.object({ answer: z.number().int(), unit: z.string() });
    h.fake.enqueue(reply.text('{"answer":7,"unit":"pears"}'));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await thread.run("how many?", { outputSchema: Answer });
    const typed: { answer: number; unit: string } | null = result.structuredOutput;
    expect(typed).toEqual({ answer: 7, unit: "pears" });
    h.fake.enqueue(reply.text('{"answer":"seven"}'));
    const error = await thread.run("again", { outputSchema: Answer }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).text).toBe('{"answer":"seven"}');
    expect((error as StructuredOutputError).issues.map((i) => i.path[0])).toEqual(["answer", "unit"]);
  });

  it("fails with StructuredOutputError when the answer is not JSON", async () => {
    h.fake.enqueue(reply.text("forty-two"));
    const thread = await codex.threadStart({ cwd: h.cwd });
    await expect(thread.run("how many?", { outputSchema: schema })).rejects.toThrow(/not JSON/);
  });
});
