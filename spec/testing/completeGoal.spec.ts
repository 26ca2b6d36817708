import { renderStreamReply, reply, type ReplyContext, type ResponsesStreamEvent } from "../../src/testing/index.js";

function contextFor(): ReplyContext {
  let n = 0;
  return { requestIndex: 0, request: { model: "mock-model" }, responseId: "resp_1", nextId: (prefix) => `${prefix}_${++n}` };
}

const events = (r: ReturnType<typeof reply.completeGoal>): ResponsesStreamEvent[] => renderStreamReply(r, contextFor()).flatMap((s) => s.events);

describe("reply.completeGoal", () => {
  it("is a function call update_goal {status: complete}, then response.completed", () => {
    const sent = events(reply.completeGoal({ callId: "call_goal" }));
    expect(sent.map((e) => e.type)).toEqual([
      "response.created",
      "response.output_item.added",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(sent[3]).toMatchObject({ item: { type: "function_call", name: "update_goal", call_id: "call_goal", arguments: '{"status":"complete"}' } });
  });

  it("can say something first", () => {
    const sent = events(reply.completeGoal({ text: "All done." }));
    const done = sent.filter((e) => e.type === "response.output_item.done").map((e) => (e["item"] as { type: string }).type);
    expect(done).toEqual(["message", "function_call"]);
    expect(sent.find((e) => e.type === "response.output_text.done")).toMatchObject({ text: "All done." });
  });
});
