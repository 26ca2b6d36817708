import { NEVER, Observable, type ObservableInput } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { z } from "zod";
import { AbortError, tool, type ToolContext, type ToolOutput } from "../../../src/index.js";
import { answerToolCall } from "../../../src/client/tools/answerToolCall.js";
import type { DynamicToolCallParams } from "../../../src/protocol/generated/index.js";

const call = (args: unknown): DynamicToolCallParams => ({ threadId: "th", turnId: "tu", callId: "call_1", namespace: null, tool: "get_weather", arguments: args });
const text = (t: string) => ({ type: "inputText" as const, text: t });

let scheduler: TestScheduler;
beforeEach(() => {
  scheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
});

/** A get_weather tool whose execute is `execute`, recording the args and contexts it was called with. */
function weatherTool(execute: (args: { city: string; unit: "C" | "F" }, context: ToolContext) => ToolOutput | PromiseLike<ToolOutput> | Observable<ToolOutput>, timeoutMs?: number) {
  const seen: { args: { city: string; unit: "C" | "F" }; context: ToolContext }[] = [];
  const t = tool({
    name: "get_weather",
    description: "d",
    parameters: z.object({ city: z.string(), unit: z.enum(["C", "F"]).default("C") }),
    execute: (args, context) => {
      seen.push({ args, context });
      return execute(args, context);
    },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
  return { t, seen };
}

describe("answerToolCall", () => {
  it("answers with execute's output, parsed args (defaults applied) and the call's context", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const output = cold<ToolOutput>("---a", { a: "Paris: 21°C" });
      const { t, seen } = weatherTool(() => output);
      const result$ = answerToolCall(t, call({ city: "Paris" }), { scheduler, cut$: NEVER });
      expectObservable(result$).toBe("---(r|)", {
        r: { call: call({ city: "Paris" }), status: "completed", response: { contentItems: [text("Paris: 21°C")], success: true }, durationMs: 3 },
      });
      expectSubscriptions(output.subscriptions).toBe("^--!");
      scheduler.flush();
      expect(seen[0]?.args).toEqual({ city: "Paris", unit: "C" });
      expect(seen[0]?.context).toMatchObject({ threadId: "th", turnId: "tu", callId: "call_1" });
      // Answered: nothing was cut short.
      expect(seen[0]?.context.signal.aborted).toBe(false);
    });
  });

  it("answers a synchronous value at once and an empty Observable with no content", () => {
    scheduler.run(({ cold, expectObservable }) => {
      expectObservable(answerToolCall(weatherTool(() => ({ temp: 21 })).t, call({ city: "Rome" }), { scheduler, cut$: NEVER })).toBe("(r|)", {
        r: expect.objectContaining({ status: "completed", response: { contentItems: [text('{"temp":21}')], success: true } }),
      });
      expectObservable(answerToolCall(weatherTool(() => cold<ToolOutput>("--|")).t, call({ city: "Rome" }), { scheduler, cut$: NEVER })).toBe("--(r|)", {
        r: expect.objectContaining({ status: "completed", response: { contentItems: [], success: true } }),
      });
    });
  });

  it("answers arguments that fail the schema with the issues, without calling execute", () => {
    scheduler.run(({ expectObservable }) => {
      const { t, seen } = weatherTool(() => "never");
      expectObservable(answerToolCall(t, call({ city: 3, unit: "K" }), { scheduler, cut$: NEVER })).toBe("(r|)", {
        r: expect.objectContaining({
          status: "invalidArguments",
          error: expect.any(z.ZodError),
          response: {
            success: false,
            contentItems: [
              text('Invalid arguments for tool "get_weather":\n- city: Invalid input: expected string, received number\n- unit: Invalid option: expected one of "C"|"F"\nCall it again with arguments that match its schema.'),
            ],
          },
        }),
      });
      scheduler.flush();
      expect(seen).toEqual([]);
    });
  });

  it("answers a throw, an error and a rejection with success false and the message, keeping the error", async () => {
    const boom = new Error("city not found");
    scheduler.run(({ cold, expectObservable }) => {
      const failed = { status: "failed", error: boom, response: { success: false, contentItems: [text('Tool "get_weather" failed: city not found')] } };
      expectObservable(answerToolCall(weatherTool(() => { throw boom; }).t, call({ city: "X" }), { scheduler, cut$: NEVER })).toBe("(r|)", { r: expect.objectContaining(failed) });
      expectObservable(answerToolCall(weatherTool(() => cold<ToolOutput>("-#", {}, boom)).t, call({ city: "X" }), { scheduler, cut$: NEVER })).toBe("-(r|)", { r: expect.objectContaining(failed) });
    });
    const rejected = await new Promise((resolve) => answerToolCall(weatherTool(() => Promise.reject(boom)).t, call({ city: "X" }), { scheduler: new TestScheduler(() => undefined), cut$: NEVER }).subscribe(resolve));
    expect(rejected).toMatchObject({ status: "failed", error: boom });
  });

  it("times out: answers success false at timeoutMs, aborts the signal, unsubscribes execute's work", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const slow = cold<ToolOutput>("-----a", { a: "late" });
      const { t, seen } = weatherTool(() => slow, 3);
      expectObservable(answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$: NEVER })).toBe("---(r|)", {
        r: expect.objectContaining({ status: "timedOut", durationMs: 3, response: { success: false, contentItems: [text('Tool "get_weather" timed out after 3 ms.')] } }),
      });
      expectSubscriptions(slow.subscriptions).toBe("^--!");
      scheduler.flush();
      const signal = seen[0]!.context.signal;
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(AbortError);
      expect((signal.reason as Error).message).toBe("tool get_weather timed out after 3 ms");
    });
  });

  it("an answer before the timeout wins, and the timer is gone", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const { t, seen } = weatherTool(() => cold<ToolOutput>("--a", { a: "ok" }), 3);
      expectObservable(answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$: NEVER })).toBe("--(r|)", { r: expect.objectContaining({ status: "completed" }) });
      scheduler.flush();
      expect(seen[0]!.context.signal.aborted).toBe(false);
    });
    expect(scheduler.actions).toEqual([]);
  });

  it("is cut when its turn ends: answers aborted, aborts the signal with the reason", () => {
    scheduler.run(({ cold, hot, expectObservable, expectSubscriptions }) => {
      const never = cold<ToolOutput>("-");
      const cut$ = hot<string>("--x", { x: "its turn ended (interrupted)" });
      const { t, seen } = weatherTool(() => never, 10);
      expectObservable(answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$ })).toBe("--(r|)", {
        r: expect.objectContaining({ status: "aborted", response: { success: false, contentItems: [text('Tool "get_weather" was cancelled: its turn ended (interrupted).')] } }),
      });
      expectSubscriptions(never.subscriptions).toBe("^-!");
      expectSubscriptions(cut$.subscriptions).toBe("^-!");
      scheduler.flush();
      expect((seen[0]!.context.signal.reason as Error).message).toBe("tool get_weather was cancelled: its turn ended (interrupted)");
    });
  });

  it("runs concurrent calls side by side, each answered at its own time", () => {
    scheduler.run(({ cold, expectObservable }) => {
      const delays: Record<string, ObservableInput<ToolOutput>> = { Oslo: cold<ToolOutput>("----a", { a: "Oslo" }), Rome: cold<ToolOutput>("-b", { b: "Rome" }) };
      const { t } = weatherTool(({ city }) => delays[city] as Observable<ToolOutput>);
      expectObservable(answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$: NEVER })).toBe("----(r|)", { r: expect.objectContaining({ durationMs: 4 }) });
      expectObservable(answerToolCall(t, call({ city: "Rome" }), { scheduler, cut$: NEVER })).toBe("-(r|)", { r: expect.objectContaining({ durationMs: 1 }) });
    });
  });

  it("aborts the signal when its subscriber leaves before the answer", () => {
    scheduler.run(({ cold, expectObservable, expectSubscriptions }) => {
      const never = cold<ToolOutput>("-");
      const { t, seen } = weatherTool(() => never);
      expectObservable(answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$: NEVER }), "^--!").toBe("---");
      expectSubscriptions(never.subscriptions).toBe("^--!");
      scheduler.flush();
      expect((seen[0]!.context.signal.reason as Error).message).toBe("tool get_weather was abandoned before it answered");
    });
  });

  it("answers output JSON cannot write as a failure", () => {
    scheduler.run(({ expectObservable }) => {
      expectObservable(answerToolCall(weatherTool(() => (() => 1) as never).t, call({ city: "X" }), { scheduler, cut$: NEVER })).toBe("(r|)", {
        r: expect.objectContaining({ status: "failed", error: expect.any(TypeError) }),
      });
    });
  });

  it("absorbs a rejection that comes after the answer: no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let reject: (error: Error) => void = () => undefined;
      const late = new Promise<ToolOutput>((_resolve, r) => (reject = r));
      const { t } = weatherTool(() => late, 1);
      const outcomes: unknown[] = [];
      answerToolCall(t, call({ city: "Oslo" }), { scheduler, cut$: NEVER }).subscribe((o) => outcomes.push(o));
      scheduler.flush();
      expect(outcomes).toEqual([expect.objectContaining({ status: "timedOut" })]);
      reject(new Error("too late"));
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
