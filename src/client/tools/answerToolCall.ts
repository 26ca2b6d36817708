import { NEVER, defaultIfEmpty, defer, from, isObservable, map, of, race, take, timer, catchError, finalize, type Observable, type SchedulerLike } from "rxjs";
import type { z } from "zod";
import type { DynamicToolCallParams } from "../../protocol/generated/index.js";
import { AbortError, dottedPath, messageOf } from "../../errors/index.js";
import type { Tool, ToolContentItem, ToolOutput } from "./tool.js";
import type { ToolCallOutcome, ToolCallStatus } from "./ToolCallOutcome.js";
import { toContentItems } from "./toContentItems.js";

/** What a running call needs besides its tool and its request. */
export interface AnswerToolCallOptions {
  /** Where the timeout and the duration are measured; a `TestScheduler` in tests. */
  readonly scheduler: SchedulerLike;
  /** Emits a reason when the call must end before `execute` answers: its turn ended, the client closed. */
  readonly cut$: Observable<string>;
}

/**
 * Runs one tool call to its one answer: the arguments parsed by the tool's schema (`execute` is
 * not called when they fail it), then `execute`'s output, its error, the tool's timeout or the
 * cut (turn over, client closed), whichever comes first. The call's `signal` aborts when the
 * timeout or the cut wins, or when the subscriber leaves before the answer.
 *
 * @param tool the tool the model called
 * @param call the `item/tool/call` params
 * @param options scheduler, cut$
 * @returns one {@link ToolCallOutcome}, then complete; it never errors
 */
export function answerToolCall(tool: Tool, call: DynamicToolCallParams, options: AnswerToolCallOptions): Observable<ToolCallOutcome> {
  const { scheduler } = options;
  return defer(() => {
    const startedAt = scheduler.now();
    const outcome = (status: ToolCallStatus, contentItems: ToolContentItem[], error?: unknown): ToolCallOutcome => ({
      call,
      status,
      response: { contentItems, success: status === "completed" },
      ...(error === undefined ? {} : { error }),
      durationMs: scheduler.now() - startedAt,
    });
    // A model that sends no arguments at all means "none": an object schema of optional fields accepts it.
    const parsed = tool.parameters.safeParse(call.arguments ?? {});
    if (!parsed.success) return of(outcome("invalidArguments", [textItem(invalidArgumentsText(tool.name, parsed.error))], parsed.error));

    const controller = new AbortController();
    let answered = false;
    const context = { threadId: call.threadId, turnId: call.turnId, callId: call.callId, signal: controller.signal };
    const run$ = defer(() => toObservable(tool.execute(parsed.data, context))).pipe(
      take(1),
      defaultIfEmpty(undefined),
      map((output) => outcome("completed", toContentItems(output))),
      catchError((error: unknown) => of(outcome("failed", [textItem(`Tool "${tool.name}" failed: ${messageOf(error)}`)], error))),
    );
    // The signal aborts after the race is decided, so a tool that reacts at once cannot win it.
    let cutReason: AbortError | undefined;
    const timeout$ =
      tool.timeoutMs === undefined
        ? NEVER
        : timer(tool.timeoutMs, scheduler).pipe(
            map(() => {
              cutReason = new AbortError(`tool ${tool.name} timed out after ${tool.timeoutMs} ms`);
              return outcome("timedOut", [textItem(`Tool "${tool.name}" timed out after ${tool.timeoutMs} ms.`)]);
            }),
          );
    const cut$ = options.cut$.pipe(
      take(1),
      map((reason) => {
        cutReason = new AbortError(`tool ${tool.name} was cancelled: ${reason}`);
        return outcome("aborted", [textItem(`Tool "${tool.name}" was cancelled: ${reason}.`)]);
      }),
    );
    return race(run$, timeout$, cut$).pipe(
      take(1),
      map((result) => {
        answered = true;
        if (result.status === "timedOut" || result.status === "aborted") controller.abort(cutReason);
        return result;
      }),
      finalize(() => {
        // Left before any answer (the connection went away): the work it started stops too.
        if (!answered) controller.abort(new AbortError(`tool ${tool.name} was abandoned before it answered`));
      }),
    );
  });
}

/**
 * The answer to a call of a tool this client does not have on that thread.
 *
 * @param call the `item/tool/call` params
 * @returns the outcome: `noHandler`, `success: false`, naming the tool
 */
export function noHandlerOutcome(call: DynamicToolCallParams): ToolCallOutcome {
  const name = call.namespace ? `${call.namespace}.${call.tool}` : call.tool;
  const text = `Tool "${name}" is not available: this client has no handler for it on this thread. Do not call it again; continue without it.`;
  return { call, status: "noHandler", response: { contentItems: [textItem(text)], success: false }, durationMs: 0 };
}

function toObservable(result: ToolOutput | PromiseLike<ToolOutput> | Observable<ToolOutput>): Observable<ToolOutput> {
  if (isObservable(result)) return result;
  if (isPromiseLike(result)) return from(result);
  return of(result);
}

function isPromiseLike(value: unknown): value is PromiseLike<ToolOutput> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/** zod's issues as sentences the model can act on: where, what, and what to do. */
function invalidArgumentsText(name: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => `- ${dottedPath(i.path) || "(arguments)"}: ${i.message}`);
  return `Invalid arguments for tool "${name}":\n${lines.join("\n")}\nCall it again with arguments that match its schema.`;
}

function textItem(text: string): ToolContentItem {
  return { type: "inputText", text };
}
