import { Observable, Subject, asyncScheduler, finalize, map, tap, type SchedulerLike, type Subscription } from "rxjs";
import type { DynamicToolCallParams } from "../../protocol/generated/index.js";
import { isNotification, type Notification } from "../../protocol/notifications.js";
import { ExperimentalApiRequiredError } from "../../errors/index.js";
import type { HandlerResult, ServerRequest, ServerRequestHandler } from "../../rpc/RpcConnection.js";
import { answerToolCall, noHandlerOutcome } from "./answerToolCall.js";
import type { ToolCallOutcome } from "./ToolCallOutcome.js";
import type { ToolSet } from "./ToolSet.js";

/** What a {@link ToolRegistry} needs of its connection. */
export interface ToolRegistryOptions {
  /** The connection's notifications: `turn/completed` ends a turn's calls, completion ends them all. */
  readonly notifications$: Observable<Notification>;
  /** Whether the client was started with `experimentalApi: true` (tools need it). */
  readonly experimentalApi: boolean;
  /** Where timeouts run. Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike | undefined;
}

/** The calls running in one turn: how many, and how to cut them all. */
interface TurnCalls {
  count: number;
  readonly cut: Subject<string>;
}

/**
 * @internal The tool handlers of one connection, by thread id, and the calls running now. It
 * answers every `item/tool/call`: by the thread's tool (see `answerToolCall`), else by the
 * caller's own server-request handler (`approvals["item/tool/call"]`, `handleServerRequest`),
 * else `success: false` naming the tool. A turn that ends, or a connection that closes, cuts its
 * calls still running: the server sends no `serverRequest/resolved` for them, so the client ends
 * them itself. It watches the notifications only while a call runs or `toolCalls$` is subscribed:
 * a client that uses no tools keeps no subscription for them.
 */
export class ToolRegistry {
  private readonly threads = new Map<string, ToolSet>();
  private readonly turns = new Map<string, TurnCalls>();
  private readonly outcomes = new Subject<ToolCallOutcome>();
  private readonly scheduler: SchedulerLike;
  private watching: Subscription | undefined;
  /** Running calls plus subscribers of toolCalls$: the notifications are watched while above 0. */
  private holds = 0;

  /** Every tool call answered on this connection, as its answer is sent; completes with the connection. */
  readonly toolCalls$: Observable<ToolCallOutcome> = new Observable<ToolCallOutcome>((subscriber) => {
    const subscription = this.outcomes.subscribe(subscriber);
    // Held so that the connection's end completes it (after cutting the calls it shows).
    this.hold();
    return () => {
      subscription.unsubscribe();
      this.unhold();
    };
  });

  constructor(private readonly options: ToolRegistryOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
  }

  /**
   * Refuses tools on a client that did not opt into the experimental API, before anything is sent.
   *
   * @param method the call that was given tools (`thread/start`)
   * @throws {ExperimentalApiRequiredError} naming `experimentalApi`
   */
  assertEnabled(method: string): void {
    if (!this.options.experimentalApi) {
      throw new ExperimentalApiRequiredError(method, [{ path: ["tools"], message: "client-side tools are experimental on the app-server", code: "experimental_api" }]);
    }
  }

  /**
   * Makes `tools` the handlers of a thread's calls on this client (replacing any it had).
   *
   * @param threadId the thread
   * @param tools its tools
   * @returns a function that puts back what the thread had before (for a request that failed)
   */
  attach(threadId: string, tools: ToolSet): () => void {
    const previous = this.threads.get(threadId);
    this.threads.set(threadId, tools);
    return () => {
      if (this.threads.get(threadId) !== tools) return;
      if (previous === undefined) this.threads.delete(threadId);
      else this.threads.set(threadId, previous);
    };
  }

  /**
   * The handlers of a thread on this client.
   *
   * @param threadId the thread
   * @returns its tools, or `undefined` when none were given here
   */
  toolsOf(threadId: string): ToolSet | undefined {
    return this.threads.get(threadId);
  }

  /**
   * Answers a server request: a tool call by the thread's tool when this client has one by that
   * name, else by `fallback` (the caller's own handler); a tool call nobody takes gets
   * `success: false` naming the tool. Other requests go to `fallback` as they are.
   *
   * @param request the server request (params validated)
   * @param fallback the handler built from `approvals` and `handleServerRequest`
   * @returns the answer, or `undefined` to decline (-32601)
   */
  handle(request: ServerRequest, fallback: ServerRequestHandler): HandlerResult<unknown> | undefined {
    if (request.method !== "item/tool/call") return fallback(request);
    // The connection validated the params against the method's schema; the cast only restates it.
    const call = request.params as DynamicToolCallParams;
    const tool = this.threads.get(call.threadId)?.find(call.namespace, call.tool);
    if (tool === undefined) {
      const theirs = fallback(request);
      if (theirs !== undefined) return theirs;
      const outcome = noHandlerOutcome(call);
      this.outcomes.next(outcome);
      return outcome.response;
    }
    const turn = this.open(call.turnId);
    return answerToolCall(tool, call, { scheduler: this.scheduler, cut$: turn.cut }).pipe(
      tap((outcome) => this.outcomes.next(outcome)),
      map((outcome) => outcome.response),
      finalize(() => this.release(call.turnId, turn)),
    );
  }

  /** A call starts in `turnId`: count it, and watch for the turn's end while any call runs. */
  private open(turnId: string): TurnCalls {
    let turn = this.turns.get(turnId);
    if (turn === undefined) {
      turn = { count: 0, cut: new Subject<string>() };
      this.turns.set(turnId, turn);
    }
    turn.count += 1;
    // Watched from while the request is handled, so every turn/completed after it on the wire is seen.
    this.hold();
    return turn;
  }

  private hold(): void {
    this.holds += 1;
    if (this.holds > 1 || this.watching !== undefined) return;
    const watching = this.options.notifications$.subscribe({
      next: (n) => {
        if (this.turns.size > 0 && isNotification(n, "turn/completed")) this.turns.get(n.params.turn.id)?.cut.next(`its turn ended (${n.params.turn.status})`);
      },
      complete: () => this.end("the client closed"),
      error: () => this.end("the connection to the app-server ended"),
    });
    // A connection that already ended completes at once: nothing is left to watch.
    if (!watching.closed) this.watching = watching;
  }

  private unhold(): void {
    this.holds -= 1;
    if (this.holds > 0) return;
    this.watching?.unsubscribe();
    this.watching = undefined;
  }

  private release(turnId: string, turn: TurnCalls): void {
    turn.count -= 1;
    if (turn.count === 0 && this.turns.get(turnId) === turn) this.turns.delete(turnId);
    this.unhold();
  }

  private end(reason: string): void {
    this.watching = undefined;
    for (const turn of [...this.turns.values()]) turn.cut.next(reason);
    this.outcomes.complete();
  }
}
