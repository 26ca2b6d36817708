import { Subject, asyncScheduler, type SchedulerLike } from "rxjs";
import { clientRequestParamsSchemas, type Account, type ClientRequestMethod, type ClientRequestParamsMap, type ThreadGoal, type Turn, type UserInput } from "../protocol/generated/index.js";
import { schemaOf, whereInvalid } from "../protocol/validate.js";
import type { Notification } from "../protocol/notifications.js";
import { messageOf, type JsonRpcErrorObject } from "../errors/index.js";
import { fakeId, loginCompleted, accountUpdated, promptOf } from "./appServerShapes.js";
import { goalAfterTurn, goalMethods, type GoalState } from "./fakeGoals.js";
import { fakeMethods, type FakeState, type FakeThread, type MethodHandler, type MethodReply } from "./fakeMethods.js";
import { FakeTransport } from "./fakeTransport.js";
import { commandMethods, type CommandHost, type FakeCommandResponder, type FakeProcess } from "./fakeCommands.js";
import { reviewMethods, type FakeReviewResponder, type ReviewHost } from "./fakeReview.js";
import { watchMethods, type WatchHost } from "./fakeWatches.js";
import { echoTurn, type FakeTurn, type FakeTurnResponder } from "./fakeTurn.js";
import { FakeTurnRun, type FakeAnswerBody, type TurnHost } from "./fakeTurnRun.js";
import { advanceVirtualTime } from "./virtualTime.js";
import type { FakeAppServer, FakeAppServerOptions, FakeClientRequest, FakeMethodReply, FakeServerRequestAnswer } from "./fakeAppServerApi.js";

interface PendingRequest {
  readonly request: FakeClientRequest;
  readonly onAnswer: (answer: FakeAnswerBody) => void;
  /** For `server.request()`: fails its Promise when the wire goes away unanswered. */
  readonly onGone?: (error: Error) => void;
}

type AnyHandler = (params: unknown, state: FakeState, respond: (result: unknown) => void) => MethodReply;

class FakeAppServerImpl implements FakeAppServer, GoalState, TurnHost, CommandHost, WatchHost, ReviewHost {
  readonly transport: FakeTransport;
  readonly received: unknown[] = [];
  readonly answers: FakeServerRequestAnswer[] = [];
  private readonly answersSubject = new Subject<FakeServerRequestAnswer>();
  readonly answers$ = this.answersSubject.asObservable();
  respond: FakeTurnResponder;
  readonly scheduler: SchedulerLike;
  readonly stepMs: number;
  readonly model: string;
  readonly userAgent: string | undefined;
  readonly threads = new Map<string, FakeThread>();
  readonly logins = new Set<string>();
  readonly goals = new Map<string, ThreadGoal>();
  account: Account | null;
  readonly requiresOpenaiAuth: boolean;
  initialized = false;
  commands: FakeCommandResponder = () => ({});
  readonly processes = new Map<string, FakeProcess>();
  readonly watches = new Map<string, string>();
  reviews: FakeReviewResponder = () => "fake review: no issues found";
  private readonly commandTable = commandMethods(this);
  private readonly watchTable = watchMethods(this);
  private readonly latencyMs: number;
  private readonly queue: FakeTurn[] = [];
  private readonly handlers = new Map<string, AnyHandler>(Object.entries(fakeMethods) as [string, AnyHandler][]);
  private readonly failures = new Map<string, { error: JsonRpcErrorObject; times: number }>();
  private readonly pending = new Map<number, PendingRequest>();
  private readonly ids = new Map<number | string, number>();
  private nextRequestId = 0;
  private turnCount = 0;

  constructor(options: FakeAppServerOptions) {
    this.scheduler = options.scheduler ?? asyncScheduler;
    this.respond = options.respond ?? echoTurn;
    this.latencyMs = options.latencyMs ?? 0;
    this.stepMs = options.stepMs ?? 0;
    this.model = options.model ?? "mock-model";
    this.userAgent = options.userAgent;
    this.account = options.account ?? null;
    this.requiresOpenaiAuth = options.requiresOpenaiAuth ?? false;
    const tables = [goalMethods(this), this.commandTable.methods, this.watchTable.methods, reviewMethods(this)];
    for (const table of tables) for (const [method, handler] of Object.entries(table)) this.handlers.set(method, handler as AnyHandler);
    this.transport = new FakeTransport(
      (text) => this.receive(text),
      () => this.shutdown(),
    );
  }

  requests(method?: string): FakeClientRequest[] {
    return this.received.filter((m): m is FakeClientRequest => isRequest(m) && (method === undefined || m.method === method));
  }

  enqueue(...turns: FakeTurn[]): void {
    this.queue.push(...turns);
  }

  handle<M extends ClientRequestMethod>(method: M, handler: (params: ClientRequestParamsMap[M]) => FakeMethodReply<M>): void {
    const wrapped: MethodHandler<M> = (params) => handler(params);
    this.handlers.set(method, wrapped as AnyHandler);
  }

  fail(method: string, error: JsonRpcErrorObject, times = 1): void {
    this.failures.set(method, { error, times });
  }

  notify(notification: Notification): void {
    this.send(notification);
  }

  request(method: string, params: unknown): Promise<FakeAnswerBody> {
    return new Promise((resolve, reject) => this.sendRequest(method, params, resolve, reject));
  }

  startTurn(threadId: string, turn?: FakeTurn): string {
    const thread = this.threads.get(threadId);
    if (thread === undefined) throw new RangeError(`fakeAppServer: no thread ${threadId}`);
    if (turn !== undefined) this.queue.unshift(turn);
    return this.runTurn(thread, [], undefined);
  }

  completeLogin(options: { readonly loginId?: string; readonly success?: boolean; readonly error?: string } = {}): void {
    const loginId = options.loginId ?? [...this.logins][0];
    if (loginId === undefined || !this.logins.delete(loginId)) throw new RangeError(`fakeAppServer: no login in progress${options.loginId ? ` with id ${options.loginId}` : ""}`);
    const success = options.success ?? true;
    this.send(loginCompleted(loginId, success, success ? null : (options.error ?? "Login failed")));
    if (success) {
      this.account = { type: "chatgpt", email: "user@example.com", planType: "plus" };
      this.send(accountUpdated(this.account));
    }
  }

  changeFiles(paths: readonly string[]): void {
    this.watchTable.change(paths);
  }

  advance(ms?: number): Promise<void> {
    return advanceVirtualTime(this.scheduler, ms);
  }

  exit(exitCode = 1): void {
    this.shutdown();
    this.transport.die(exitCode, null);
  }

  async close(): Promise<void> {
    this.shutdown();
    await this.transport.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // ── FakeState and TurnHost ──────────────────────────────────────────────────────────────

  newId(kind: number): string {
    const n = (this.ids.get(kind) ?? 0) + 1;
    this.ids.set(kind, n);
    return fakeId(kind, n);
  }

  itemId(prefix: string): string {
    const n = (this.ids.get(prefix) ?? 0) + 1;
    this.ids.set(prefix, n);
    return `${prefix}_${n}`;
  }

  followUp(thread: FakeThread, turnId: string, input: readonly UserInput[]): FakeTurn {
    return this.queue.shift() ?? this.respond(promptOf(input), { threadId: thread.fields.id, turnId, input, turnIndex: this.turnCount - 1 });
  }

  beginTurn(thread: FakeThread, input: readonly UserInput[], respond: (turn: Turn) => void): void {
    this.runTurn(thread, input, respond);
  }

  beginScriptedTurn(thread: FakeThread, input: readonly UserInput[], script: FakeTurn, respond: (turn: Turn) => void): void {
    this.queue.unshift(script);
    this.runTurn(thread, input, respond);
  }

  send(message: object): void {
    this.transport.deliver(JSON.stringify(message));
  }

  sendRequest(method: string, params: unknown, onAnswer: (answer: FakeAnswerBody) => void, onGone?: (error: Error) => void): number {
    const id = this.nextRequestId++;
    this.pending.set(id, { request: { id, method, params }, onAnswer, ...(onGone === undefined ? {} : { onGone }) });
    this.send({ id, method, params });
    return id;
  }

  addUsage(threadId: string, usage: { input: number; output: number }): { input: number; output: number } {
    const thread = this.threads.get(threadId);
    if (thread === undefined) return usage;
    thread.usage = { input: thread.usage.input + usage.input, output: thread.usage.output + usage.output };
    return thread.usage;
  }

  finished(threadId: string, turn: Turn, run: FakeTurnRun): void {
    const thread = this.threads.get(threadId);
    if (thread === undefined) return;
    thread.turns.push(turn);
    thread.runs.delete(run.id);
    thread.fields = { ...thread.fields, updatedAt: Math.floor(this.scheduler.now() / 1000), active: thread.runs.size > 0 };
    const goalUpdate = goalAfterTurn(this, run, turn.durationMs ?? 0);
    if (goalUpdate !== undefined) {
      this.send(goalUpdate);
      this.continueGoal(threadId);
    }
  }

  continueGoal(threadId: string): void {
    const thread = this.threads.get(threadId);
    if (thread === undefined || this.goals.get(threadId)?.status !== "active") return;
    if (this.queue.length > 0 && thread.runs.size === 0) this.runTurn(thread, [], undefined);
  }

  // ── Wire ────────────────────────────────────────────────────────────────────────────────

  private runTurn(thread: FakeThread, input: readonly UserInput[], respond: ((turn: Turn) => void) | undefined): string {
    const turnId = this.newId(2);
    const prompt = promptOf(input);
    const script = this.queue.shift() ?? this.respond(prompt, { threadId: thread.fields.id, turnId, input, turnIndex: this.turnCount });
    this.turnCount += 1;
    const run = new FakeTurnRun(this, thread.fields.id, turnId, input, script);
    // Started before it is registered: a script that cannot run (deltas that do not join) leaves nothing behind.
    run.start(respond, this.latencyMs);
    thread.runs.set(turnId, run);
    thread.fields = { ...thread.fields, active: true, preview: thread.fields.preview === "" ? prompt : thread.fields.preview };
    return turnId;
  }

  /** The wire is going away: turns stop, unanswered requests of `request()` fail, answers$ completes. */
  private shutdown(): void {
    for (const thread of this.threads.values()) for (const run of thread.runs.values()) run.stop();
    // Connection-scoped on the real server: its processes end and its watches go with it.
    this.commandTable.stopAll();
    this.watches.clear();
    const unanswered = [...this.pending.values()];
    this.pending.clear();
    for (const p of unanswered) p.onGone?.(new Error(`fakeAppServer: the connection closed before the client answered ${p.request.method}`));
    this.answersSubject.complete();
  }

  private receive(text: string): void {
    const message: unknown = JSON.parse(text);
    this.received.push(message);
    // Handled on the fake's clock, never inside the client's send(): no re-entrancy.
    this.scheduler.schedule(() => this.dispatch(message));
  }

  private dispatch(message: unknown): void {
    if (isRequest(message)) this.answerRequest(message);
    else if (isAnswer(message)) {
      const pending = this.pending.get(Number(message.id));
      if (pending === undefined) return;
      this.pending.delete(Number(message.id));
      const response: FakeAnswerBody = "error" in message ? { error: message.error as { code: number; message: string } } : { result: message.result };
      const answer = { request: pending.request, response };
      this.answers.push(answer);
      this.answersSubject.next(answer);
      pending.onAnswer(response);
    }
  }

  private answerRequest(request: FakeClientRequest): void {
    const outcome = this.replyTo(request, (result) => this.send({ id: request.id, result }));
    if ("later" in outcome) return;
    const messages = "error" in outcome ? [{ id: request.id, error: outcome.error }] : [{ id: request.id, result: outcome.result }, ...(outcome.then ?? [])];
    const sendAll = (): void => messages.forEach((m) => this.send(m));
    if (this.latencyMs === 0) sendAll();
    else this.scheduler.schedule(sendAll, this.latencyMs);
  }

  private replyTo(request: FakeClientRequest, respond: (result: unknown) => void): MethodReply {
    const failure = this.failures.get(request.method);
    if (failure !== undefined) {
      if (--failure.times <= 0) this.failures.delete(request.method);
      return { error: failure.error };
    }
    const handler = this.handlers.get(request.method);
    if (handler === undefined) return { error: { code: -32601, message: `method not found: ${request.method} (the fake app-server does not answer it; script it with server.handle())` } };
    if (!this.initialized && request.method !== "initialize") return { error: { code: -32600, message: "Not initialized" } };
    const parsed = schemaOf(clientRequestParamsSchemas, request.method)?.safeParse(request.params);
    if (parsed !== undefined && !parsed.success) {
      return { error: { code: -32602, message: `Invalid params for ${request.method}${whereInvalid(parsed.error)}` } };
    }
    try {
      return handler(parsed === undefined ? request.params : parsed.data, this, respond);
    } catch (error) {
      return { error: { code: -32603, message: `fake app-server handler for ${request.method} failed: ${messageOf(error)}` } };
    }
  }
}

function isRequest(message: unknown): message is FakeClientRequest {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Record<string, unknown>;
  return typeof m["method"] === "string" && (typeof m["id"] === "number" || typeof m["id"] === "string");
}

function isAnswer(message: unknown): message is { readonly id: number | string; readonly result?: unknown; readonly error?: unknown } {
  if (typeof message !== "object" || message === null) return false;
  const m = message as Record<string, unknown>;
  return m["method"] === undefined && m["id"] !== undefined && ("result" in m || "error" in m);
}

/**
 * An in-memory Codex app-server for unit tests: no binary, no process, no network. It speaks the
 * pinned protocol's real shapes and wire order (handshake, threads, turns with their deltas,
 * approvals, logins, errors), so `Codex.start({ transport: server.transport })` and everything
 * above it run as against the real server. By default a turn answers `echo: <prompt>`; turns,
 * server requests, errors and timing are scriptable, and on a `TestScheduler` it runs in virtual
 * time (move the clock with `server.advance()`).
 *
 * @param options clock, default turn, latency, model, account
 * @returns the server; hand `server.transport` to `Codex.start`
 * @example
 * ```ts
 * const server = fakeAppServer();
 * const codex = await Codex.start({ transport: server.transport });
 * const thread = await codex.threadStart();
 * expect((await thread.run("hi")).finalResponse).toBe("echo: hi");
 * server.enqueue({ text: "42", deltas: ["4", "2"], usage: { output: 2 } });
 * server.enqueue({ steps: [turnStep.approval("make test")], text: "tests pass" });
 * server.enqueue({ status: "failed", error: "model overloaded" });
 * await codex.close();
 * ```
 */
export function fakeAppServer(options: FakeAppServerOptions = {}): FakeAppServer {
  return new FakeAppServerImpl(options);
}
