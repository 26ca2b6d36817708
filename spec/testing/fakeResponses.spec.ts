import { createServer } from "node:http";
import {
  lastUserText,
  output,
  reply,
  startFakeResponses,
  type FakeResponses,
  type JsonObject,
  type ResponsesRequestBody,
} from "../../src/testing/index.js";

interface SseFrame {
  readonly event: string;
  readonly data: JsonObject & { readonly type: string };
}

function parseSse(text: string): SseFrame[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const lines = block.split("\n");
      const event = lines.find((l) => l.startsWith("event: "))?.slice("event: ".length) ?? "";
      const data = lines.find((l) => l.startsWith("data: "))?.slice("data: ".length) ?? "null";
      return { event, data: JSON.parse(data) as JsonObject & { readonly type: string } };
    });
}

/** A request body shaped like the one codex 0.169.0 sends (context as user messages first). */
function codexLikeBody(text: string): ResponsesRequestBody {
  return {
    model: "mock-model",
    stream: true,
    input: [
      { type: "message", role: "developer", content: [{ type: "input_text", text: "You are a coding agent" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text: "<environment_context>\n  <cwd>/tmp</cwd>\n</environment_context>" }] },
      { type: "message", role: "user", content: [{ type: "input_text", text }] },
    ],
  };
}

async function post(fake: FakeResponses, body: ResponsesRequestBody | string = codexLikeBody("hello")): Promise<Response> {
  return fetch(`${fake.url}/responses`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/event-stream" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function postSse(fake: FakeResponses, body?: ResponsesRequestBody): Promise<SseFrame[]> {
  const res = await post(fake, body);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/event-stream");
  return parseSse(await res.text());
}

function types(frames: readonly SseFrame[]): string[] {
  return frames.map((f) => f.data.type);
}

function field(frame: SseFrame | undefined, ...path: (string | number)[]): unknown {
  let value: unknown = frame?.data;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

const TEXT_SEQUENCE = [
  "response.created",
  "response.output_item.added",
  "response.content_part.added",
  "response.output_text.delta",
  "response.output_text.delta",
  "response.output_text.done",
  "response.content_part.done",
  "response.output_item.done",
  "response.completed",
];

describe("startFakeResponses", () => {
  let fake: FakeResponses;

  beforeEach(async () => {
    fake = await startFakeResponses();
  });

  afterEach(async () => {
    await fake.close();
  });

  it("listens on 127.0.0.1 and exposes the /v1 base url", () => {
    expect(fake.url).toBe(`http://127.0.0.1:${fake.port}/v1`);
  });

  it("streams a text reply as created, item added, part added, deltas, done events, completed", async () => {
    fake.enqueue(reply.text("Hello world"));
    const frames = await postSse(fake);
    expect(types(frames)).toEqual(TEXT_SEQUENCE);
    expect(frames.every((f) => f.event === f.data.type)).toBe(true);
    const deltas = frames.filter((f) => f.data.type === "response.output_text.delta").map((f) => f.data["delta"]);
    expect(deltas).toEqual(["Hello ", "world"]);
    const done = frames.find((f) => f.data.type === "response.output_item.done");
    expect(field(done, "item", "type")).toBe("message");
    expect(field(done, "item", "role")).toBe("assistant");
    expect(field(done, "item", "content", 0, "text")).toBe("Hello world");
    expect(field(done, "item", "phase")).toBeUndefined();
    const itemId = field(done, "item", "id");
    expect(frames.filter((f) => f.data["item_id"] !== undefined).every((f) => f.data["item_id"] === itemId)).toBe(true);
    const completed = frames.at(-1);
    expect(field(completed, "response", "id")).toBe(field(frames[0], "response", "id"));
    expect(field(completed, "response", "usage")).toEqual({
      input_tokens: 10,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 2,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 12,
    });
  });

  it("splits text into the requested number of deltas or the given pieces", async () => {
    fake.enqueue(reply.text("abcdefg", { deltas: 3 }), reply.text("abc", { deltas: ["a", "bc"] }), reply.text("ab", { deltas: 10 }));
    const deltasOf = (frames: SseFrame[]): unknown[] =>
      frames.filter((f) => f.data.type === "response.output_text.delta").map((f) => f.data["delta"]);
    expect(deltasOf(await postSse(fake))).toEqual(["ab", "cd", "efg"]);
    expect(deltasOf(await postSse(fake))).toEqual(["a", "bc"]);
    expect(deltasOf(await postSse(fake))).toEqual(["a", "b"]);
    expect(() => reply.text("abc", { deltas: ["a", "b"] })).toThrow(RangeError);
  });

  it("carries phase and usage overrides", async () => {
    fake.enqueue(reply.text("done", { phase: "final_answer", usage: { inputTokens: 3, outputTokens: 1, cachedInputTokens: 2 } }));
    const frames = await postSse(fake);
    expect(field(frames[1], "item", "phase")).toBe("final_answer");
    expect(field(frames.find((f) => f.data.type === "response.output_item.done"), "item", "phase")).toBe("final_answer");
    expect(field(frames.at(-1), "response", "usage")).toMatchObject({
      input_tokens: 3,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 1,
      total_tokens: 4,
    });
  });

  it("streams several outputs with their own output_index", async () => {
    fake.enqueue(reply.stream([output.message("a", { phase: "commentary" }), output.execCommand("echo hi", { callId: "call_x" })]));
    const frames = await postSse(fake);
    expect(types(frames)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.content_part.added",
      "response.output_text.delta",
      "response.output_text.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.output_item.added",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    const call = frames[9];
    expect(field(call, "output_index")).toBe(1);
    expect(field(call, "item")).toMatchObject({ type: "function_call", name: "exec_command", call_id: "call_x", arguments: '{"cmd":"echo hi"}' });
    expect(field(frames.at(-1), "response", "output", 1, "call_id")).toBe("call_x");
  });

  // How fast is the bench's business (its 10k-delta row runs on this fake), not a timed test's.
  it("writes 10,000 deltas, every one, then the usage", async () => {
    fake.enqueue(reply.deltas(10_000));
    const frames = await postSse(fake);
    const deltas = frames.filter((f) => f.data.type === "response.output_text.delta");
    expect(deltas).toHaveLength(10_000);
    expect(deltas.every((f) => f.data["delta"] === "tok ")).toBe(true);
    expect(field(frames.at(-1), "response", "usage", "output_tokens")).toBe(10_000);
  });

  it("waits delayMs before each delta", async () => {
    fake.enqueue(reply.text("a b c", { delayMs: 25 }));
    const started = performance.now();
    await postSse(fake);
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
  });

  it("answers httpError with the status and JSON body", async () => {
    const body = { error: { message: "bad things", type: "invalid_request_error" } };
    fake.enqueue(reply.httpError(400, body), reply.httpError(503, "plain"));
    const res = await post(fake);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual(body);
    const plain = await post(fake);
    expect(plain.status).toBe(503);
    expect(await plain.text()).toBe("plain");
  });

  it("ends a failed reply with response.failed and no response.completed", async () => {
    fake.enqueue(reply.failed("model exploded", { code: "server_error" }));
    const frames = await postSse(fake);
    expect(types(frames)).toEqual(["response.created", "response.failed"]);
    expect(field(frames[1], "response", "error")).toEqual({ code: "server_error", message: "model exploded" });
  });

  it("cuts the connection for a disconnect reply", async () => {
    fake.enqueue(reply.disconnect([output.message("half")]));
    const res = await post(fake);
    await expect(res.text()).rejects.toThrow();
  });

  it("writes raw events as given", async () => {
    fake.enqueue(reply.events((context) => [{ type: "response.created", response: { id: context.responseId } }]));
    const frames = await postSse(fake);
    expect(frames).toEqual([{ event: "response.created", data: { type: "response.created", response: { id: expect.stringMatching(/^resp_/) } } }]);
  });

  it("keeps a hang reply open after response.created until close(), which ends it", async () => {
    fake.enqueue(reply.hang({ text: "partial" }));
    const res = await post(fake);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("response.output_text.delta")) {
      const chunk = await reader.read();
      text += new TextDecoder().decode(chunk.value);
    }
    expect(types(parseSse(text))).toEqual(["response.created", "response.output_item.added", "response.content_part.added", "response.output_text.delta"]);
    const next = reader.read().then(
      (r) => (r.done ? "ended" : "data"),
      () => "errored",
    );
    const race = await Promise.race([next, new Promise((resolve) => setTimeout(() => resolve("pending"), 50))]);
    expect(race).toBe("pending");
    const closing = performance.now();
    await fake.close();
    expect(performance.now() - closing).toBeLessThan(500);
    expect(["ended", "errored"]).toContain(await next);
  });

  it("answers queued replies in FIFO order, then falls back to respond", async () => {
    fake.enqueue(reply.text("first"), reply.text("second"));
    expect(fake.pending).toBe(2);
    const textOf = (frames: SseFrame[]): unknown => field(frames.find((f) => f.data.type === "response.output_item.done"), "item", "content", 0, "text");
    expect(textOf(await postSse(fake))).toBe("first");
    expect(textOf(await postSse(fake))).toBe("second");
    expect(fake.pending).toBe(0);
    expect(textOf(await postSse(fake, codexLikeBody("third")))).toBe("echo: third");
  });

  it("echoes the last user message text by default, per request", async () => {
    const [a, b] = await Promise.all([postSse(fake, codexLikeBody("alpha")), postSse(fake, codexLikeBody("beta"))]);
    const textOf = (frames: SseFrame[]): unknown => field(frames.at(-1), "response", "output", 0, "content", 0, "text");
    expect(textOf(a)).toBe("echo: alpha");
    expect(textOf(b)).toBe("echo: beta");
  });

  it("uses an assigned respond function, sync or async", async () => {
    fake.respond = async (request, { requestIndex }) => reply.text(`#${requestIndex} ${lastUserText(request) ?? ""}`);
    const frames = await postSse(fake, codexLikeBody("x"));
    expect(field(frames.at(-1), "response", "output", 0, "content", 0, "text")).toBe("#0 x");
  });

  it("answers 500 and records the error when respond throws", async () => {
    fake.respond = () => {
      throw new Error("boom");
    };
    const res = await post(fake);
    expect(res.status).toBe(500);
    expect(await res.text()).toContain("boom");
    expect(fake.errors).toHaveLength(1);
    expect(fake.errors[0]?.cause).toEqual(new Error("boom"));
  });

  it("records every request body in order and reads their last user text", async () => {
    await postSse(fake, codexLikeBody("one"));
    await postSse(fake, codexLikeBody("two"));
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]).toEqual(codexLikeBody("one"));
    expect(fake.lastUserText()).toBe("two");
    expect(fake.lastUserText(0)).toBe("one");
    expect(fake.lastUserText(5)).toBeNull();
    expect(lastUserText({ input: [] })).toBeNull();
    expect(lastUserText({ input: [{ role: "user", content: "plain string" }] })).toBe("plain string");
  });

  it("resolves waitForRequests once enough requests arrived, and rejects on timeout", async () => {
    const waiting = fake.waitForRequests(1);
    await postSse(fake);
    await expect(waiting).resolves.toHaveLength(1);
    await expect(fake.waitForRequests(2, 20)).rejects.toThrow("1 of 2 requests");
  });

  it("answers non-POST requests with an empty model list", async () => {
    const res = await fetch(`${fake.url}/models?client_version=0.169.0`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ models: [], data: [] });
    expect(fake.requests).toHaveLength(0);
  });

  it("rejects a body that is not JSON with 400, and other POST paths with 404", async () => {
    expect((await post(fake, "{nope")).status).toBe(400);
    expect(fake.errors).toHaveLength(1);
    const other = await fetch(`${fake.url}/chat/completions`, { method: "POST", body: "{}" });
    expect(other.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });

  it("closes idempotently and frees the port", async () => {
    const port = fake.port;
    await Promise.all([fake.close(), fake.close()]);
    await fake.close();
    await expect(fetch(`${fake.url}/models`)).rejects.toThrow();
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once("error", reject);
      again.listen(port, "127.0.0.1", () => resolve());
    });
    await new Promise<void>((resolve) => again.close(() => resolve()));
  });

  it("closes through Symbol.asyncDispose", async () => {
    const other = await startFakeResponses({ replies: [reply.text("queued")] });
    expect(other.pending).toBe(1);
    await other[Symbol.asyncDispose]();
    await expect(fetch(`${other.url}/models`)).rejects.toThrow();
  });

  it("gives every reply fresh ids, even when the same reply object is reused", async () => {
    const same = reply.text("x");
    fake.enqueue(same, same);
    const idOf = (frames: SseFrame[]): unknown => field(frames[1], "item", "id");
    const first = idOf(await postSse(fake));
    const second = idOf(await postSse(fake));
    expect(first).not.toBe(second);
  });
});
