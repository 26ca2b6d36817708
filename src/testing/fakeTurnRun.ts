import type { SchedulerLike } from "rxjs";
import type { DynamicToolCallOutputContentItem, ThreadItem, Turn, TurnError, UserInput } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import { promptOf, rateLimitsUpdated, threadStatus, tokenUsageOf, turnOf, userMessageOf } from "./appServerShapes.js";
import { agentMessage, commandExecution, delta, errorNotification, itemCompleted, itemStarted, serverRequestResolved } from "./builders.js";
import { FakeSequence, type SequenceAction } from "./fakeSequence.js";
import { turnErrorOf, type FakeTurn, type FakeTurnStep } from "./fakeTurn.js";
import { chunksOf } from "./output.js";
import { dynamicToolCall } from "./toolCallBuilders.js";

/** The client's answer to a server request: its result, or its JSON-RPC error. */
export type FakeAnswerBody = { readonly result: unknown } | { readonly error: { readonly code: number; readonly message: string; readonly data?: unknown } };

/** What a running turn needs from the server it runs on. */
export interface TurnHost {
  readonly scheduler: SchedulerLike;
  readonly stepMs: number;
  /** Sends one message to the client now. */
  send(message: object): void;
  /** Sends a server request now; `onAnswer` runs when the client answers. Returns its id. */
  sendRequest(method: string, params: unknown, onAnswer: (answer: FakeAnswerBody) => void): number;
  /** A fresh item id. */
  itemId(prefix: string): string;
  /** The thread's running token total, updated by this turn's usage. */
  addUsage(threadId: string, usage: { input: number; output: number }): { input: number; output: number };
  /** The turn is over: keep it for `thread/read`. */
  finished(threadId: string, turn: Turn, run: FakeTurnRun): void;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

/**
 * One turn on the fake app-server, from the `turn/start` answer to `turn/completed`, in the real
 * server's wire order (APP-SERVER-NOTES "Order on the wire"): status active, `turn/started`, the
 * user message, the scripted steps, the agent message and its deltas, token usage, rate limits,
 * status idle, `turn/completed`.
 */
export class FakeTurnRun {
  private readonly sequence: FakeSequence;
  private readonly items: ThreadItem[] = [];
  private startedAtMs = 0;
  private started = false;
  private over = false;
  private outputTokens = 0;
  /** A tool call item waiting for the client's answer: an interrupt completes it `failed`. */
  private waitingToolCall: ThreadItem | undefined;
  /** The script the answer in progress comes from (a steer replaces it). */
  private current: FakeTurn;
  /** Tokens this turn used (input + output), once its usage was sent. */
  tokens = 0;
  private readonly gap: number;

  constructor(
    private readonly host: TurnHost,
    readonly threadId: string,
    readonly id: string,
    private readonly input: readonly UserInput[],
    /** The script this turn runs. */
    readonly script: FakeTurn,
  ) {
    this.sequence = new FakeSequence(host.scheduler);
    this.current = script;
    this.gap = script.delayMs ?? host.stepMs;
  }

  /** True from `turn/started` until `turn/completed` was sent. */
  get active(): boolean {
    return this.started && !this.over;
  }

  /** True once `turn/completed` was sent. */
  get completed(): boolean {
    return this.over;
  }

  /** Runs the turn; `respond` (the `turn/start` answer, if the client started it) goes first. */
  start(respond: ((turn: Turn) => void) | undefined, latencyMs: number): void {
    const { threadId, id } = this;
    const actions: SequenceAction[] = [];
    if (respond !== undefined) actions.push({ delayMs: latencyMs, run: () => respond(turnOf(id, "inProgress", [], { startedAt: null, completedAt: null, durationMs: null })) });
    actions.push(this.emit(threadStatus(threadId, "active")), {
      delayMs: this.gap,
      run: () => {
        this.started = true;
        this.startedAtMs = this.host.scheduler.now();
        this.host.send({ method: "turn/started", params: { threadId, turn: turnOf(id, "inProgress", [], { startedAt: seconds(this.startedAtMs), completedAt: null, durationMs: null }) } });
      },
    });
    if (this.input.length > 0) actions.push(...this.item(userMessageOf(this.host.itemId("user"), [...this.input])));
    for (const step of this.script.steps ?? []) actions.push(...this.step(step));
    actions.push(...this.ending(this.script, this.input));
    this.sequence.push(...actions);
  }

  /**
   * `turn/steer`: like the real server, drops what the model was still streaming (a hanging
   * answer stays unfinished), adds the input as a user message, and answers anew with `next`.
   */
  steer(input: readonly UserInput[], next: FakeTurn, respond: () => void): void {
    this.sequence.cancel();
    const steps = (next.steps ?? []).flatMap((step) => this.step(step));
    this.sequence.push({ delayMs: 0, run: respond }, this.emit(rateLimitsUpdated(), 0), ...this.item(userMessageOf(this.host.itemId("user"), [...input])), ...steps, ...this.ending(next, input));
  }

  /**
   * `turn/interrupt`: drops what is left of the script and ends the turn `interrupted`, answering
   * the request between the usage and the final status (the real server's order).
   */
  interrupt(respond: () => void): void {
    this.sequence.cancel();
    const cut = this.waitingToolCall;
    this.waitingToolCall = undefined;
    // The real server ends an unanswered tool call `failed`, with no serverRequest/resolved.
    const unanswered = cut === undefined ? [] : [this.emit(itemCompleted(this.threadId, this.id, { ...cut, status: "failed", contentItems: [], success: false } as ThreadItem))];
    this.sequence.push(...unanswered, ...this.usage(), { delayMs: 0, run: respond }, this.emit(threadStatus(this.threadId, "idle")), this.complete("interrupted", null));
  }

  /** Stops the turn where it is (the server went away). */
  stop(): void {
    this.sequence.cancel();
  }

  /** Sends `notification` as the next action of this turn. */
  private emit(notification: Notification | { method: string; params: unknown }, delayMs = this.gap): SequenceAction {
    return { delayMs, run: () => this.host.send(notification) };
  }

  private item(started: ThreadItem, completed: ThreadItem = started): SequenceAction[] {
    return [
      this.emit(itemStarted(this.threadId, this.id, started)),
      {
        delayMs: this.gap,
        run: () => {
          this.items.push(completed);
          this.host.send(itemCompleted(this.threadId, this.id, completed));
        },
      },
    ];
  }

  private step(step: FakeTurnStep): SequenceAction[] {
    switch (step.kind) {
      case "item":
        return this.item(step.item, step.completed);
      case "notification":
        return [this.emit(step.notification)];
      case "error":
        return [this.emit(errorNotification(this.threadId, this.id, step.message, step.willRetry))];
      case "wait":
        return [{ delayMs: step.ms, run: () => undefined }];
      case "request":
        return this.ask(step.method, () => ({ ...step.params, threadId: this.threadId, turnId: this.id }), () => undefined);
      case "approval":
        return this.approval(step.command);
      case "toolCall":
        return this.toolCall(step.tool, step.arguments, step.namespace, step.callId ?? this.host.itemId("call"));
    }
  }

  private toolCall(tool: string, args: unknown, namespace: string | null, callId: string): SequenceAction[] {
    const started = dynamicToolCall(callId, tool, { namespace, arguments: args });
    let success = false;
    let contentItems: DynamicToolCallOutputContentItem[] = [];
    let askedAt = 0;
    return [
      {
        delayMs: this.gap,
        run: () => {
          this.waitingToolCall = started;
          askedAt = this.host.scheduler.now();
          this.host.send(itemStarted(this.threadId, this.id, started));
        },
      },
      ...this.ask("item/tool/call", () => ({ threadId: this.threadId, turnId: this.id, callId, namespace, tool, arguments: args }), (answer) => {
        this.waitingToolCall = undefined;
        const result = "result" in answer ? (answer.result as { success?: unknown; contentItems?: unknown } | null) : null;
        success = result?.success === true;
        // Taken as the client sent it: the item shows what the model was given.
        contentItems = Array.isArray(result?.contentItems) ? (result.contentItems as DynamicToolCallOutputContentItem[]) : [];
      }),
      {
        delayMs: 0,
        run: () => {
          const fields = { namespace, arguments: args, status: success ? "completed" : "failed", success, durationMs: this.host.scheduler.now() - askedAt } as const;
          const item = dynamicToolCall(callId, tool, { ...fields, contentItems });
          this.items.push(item);
          this.host.send(itemCompleted(this.threadId, this.id, item));
        },
      },
    ];
  }

  /** A server request the turn waits on; `after` sees the answer. */
  private ask(method: string, params: () => object, after: (answer: FakeAnswerBody) => void): SequenceAction[] {
    let answer: FakeAnswerBody | undefined;
    let requestId = 0;
    return [
      {
        delayMs: this.gap,
        run: () => {
          requestId = this.host.sendRequest(method, params(), (a) => {
            answer = a;
            this.sequence.resume();
          });
          return answer === undefined ? "pause" : undefined;
        },
      },
      {
        delayMs: 0,
        run: () => {
          this.host.send(serverRequestResolved(this.threadId, requestId));
          if (answer !== undefined) after(answer);
        },
      },
    ];
  }

  private approval(command: string): SequenceAction[] {
    const itemId = this.host.itemId("call");
    let status: "completed" | "declined" | "failed" = "failed";
    return [
      this.emit(threadStatus(this.threadId, "waitingOnApproval")),
      this.emit(itemStarted(this.threadId, this.id, commandExecution(itemId, command)), 0),
      ...this.ask(
        "item/commandExecution/requestApproval",
        () => ({ threadId: this.threadId, turnId: this.id, itemId, startedAtMs: this.host.scheduler.now(), command, cwd: "/fake/cwd", commandActions: [{ type: "unknown", command }] }),
        (answer) => {
          const decision = "result" in answer ? (answer.result as { decision?: unknown } | null)?.decision : undefined;
          status = decision === undefined ? "failed" : decision === "decline" || decision === "cancel" ? "declined" : "completed";
        },
      ),
      this.emit(threadStatus(this.threadId, "active"), 0),
      {
        delayMs: this.gap,
        run: () => {
          const item = commandExecution(itemId, command, status);
          this.items.push(item);
          this.host.send(itemCompleted(this.threadId, this.id, item));
        },
      },
    ];
  }

  /** The answer and the end of the turn, as `script` says (echoing `input` by default). */
  private ending(script: FakeTurn, input: readonly UserInput[]): SequenceAction[] {
    const { threadId, id } = this;
    this.current = script;
    const status = script.status ?? "completed";
    const text = script.text === undefined ? (status === "failed" ? null : `echo: ${promptOf(input)}`) : script.text;
    const answer = text === null ? [] : this.answer(text, script);
    if (status !== "failed") return [...answer, ...this.usage(), this.emit(threadStatus(threadId, "idle")), this.complete(status, null)];
    const error = turnErrorOf(script.error);
    return [...answer, this.emit(threadStatus(threadId, "systemError")), this.emit({ method: "error", params: { error, willRetry: false, threadId, turnId: id } }), this.complete("failed", error)];
  }

  private answer(text: string, script: FakeTurn): SequenceAction[] {
    const msgId = this.host.itemId("msg");
    const pieces = chunksOf(text, script.deltas);
    const deltaGap = script.deltaDelayMs ?? this.gap;
    const actions: SequenceAction[] = [this.emit(itemStarted(this.threadId, this.id, agentMessage(msgId, "")))];
    for (const piece of pieces) {
      actions.push({
        delayMs: deltaGap,
        run: () => {
          this.host.send(delta(this.threadId, this.id, msgId, piece));
        },
      });
    }
    if (script.hang === true) actions.push({ delayMs: 0, run: () => "pause" });
    actions.push(...this.item(agentMessage(msgId, text, script.phase ?? null)).slice(1));
    this.outputTokens = script.usage?.output ?? pieces.length;
    return actions;
  }

  private usage(): SequenceAction[] {
    return [
      {
        delayMs: this.gap,
        run: () => {
          const last = { input: this.current.usage?.input ?? 10, output: this.outputTokens };
          this.tokens = last.input + last.output;
          this.host.send(tokenUsageOf(this.threadId, this.id, last, this.host.addUsage(this.threadId, last)));
        },
      },
      this.emit(rateLimitsUpdated(), 0),
    ];
  }

  private complete(status: "completed" | "interrupted" | "failed", error: TurnError | null): SequenceAction {
    return {
      delayMs: this.gap,
      run: () => {
        const now = this.host.scheduler.now();
        const times = { startedAt: seconds(this.startedAtMs), completedAt: seconds(now), durationMs: now - this.startedAtMs };
        this.over = true;
        const summary = this.items.filter((i) => i.type === "agentMessage");
        this.host.send({ method: "turn/completed", params: { threadId: this.threadId, turn: turnOf(this.id, status, summary, times, error) } });
        this.host.finished(this.threadId, { ...turnOf(this.id, status, [...this.items], times, error), itemsView: "full" }, this);
      },
    };
  }
}
