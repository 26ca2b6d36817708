import type { SchedulerLike } from "rxjs";
import type { Account, ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap, Turn, UserInput } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { JsonRpcErrorObject } from "../errors/index.js";
import { accountUpdated, initializeResult, loginCompleted, mockModel, threadOf, threadOpenedResult, threadStarted, type ThreadFields } from "./appServerShapes.js";
import type { FakeTurn } from "./fakeTurn.js";
import type { FakeTurnRun } from "./fakeTurnRun.js";

/** A thread as the fake app-server keeps it. */
export interface FakeThread {
  fields: ThreadFields;
  readonly turns: Turn[];
  readonly runs: Map<string, FakeTurnRun>;
  usage: { input: number; output: number };
  archived: boolean;
}

/** The state and powers the method handlers share with the server. */
export interface FakeState {
  readonly scheduler: SchedulerLike;
  readonly model: string;
  readonly userAgent: string | undefined;
  readonly threads: Map<string, FakeThread>;
  /** Interactive login attempts not yet completed. */
  readonly logins: Set<string>;
  account: Account | null;
  readonly requiresOpenaiAuth: boolean;
  initialized: boolean;
  newId(kind: number): string;
  /** The script a steer continues a turn with: the queue's next, else the responder's. */
  followUp(thread: FakeThread, turnId: string, input: readonly UserInput[]): FakeTurn;
  /** Starts a turn on a thread; `respond` is its `turn/start` answer. */
  beginTurn(thread: FakeThread, input: readonly UserInput[], respond: (turn: Turn) => void): void;
}

/** How a method answers: a result (and notifications right after it), an error, or later by itself. */
export type MethodReply =
  | { readonly result: unknown; readonly then?: readonly Notification[] }
  | { readonly error: JsonRpcErrorObject }
  | { readonly later: true };

/** A method of the fake: validated params in, a reply out; `respond` answers a `later` reply. */
export type MethodHandler<M extends ClientRequestMethod> = (params: ClientRequestParamsMap[M], state: FakeState, respond: (result: ClientRequestResultMap[M]) => void) => MethodReply;

/** The methods the fake app-server answers out of the box. */
export type MethodTable = { readonly [M in ClientRequestMethod]?: MethodHandler<M> };

const invalidRequest = (message: string): MethodReply => ({ error: { code: -32600, message } });
const nowSeconds = (state: FakeState): number => Math.floor(state.scheduler.now() / 1000);

function newThread(state: FakeState, cwd: string | null | undefined, model: string | null | undefined, ephemeral: boolean): FakeThread {
  const now = nowSeconds(state);
  const fields: ThreadFields = { id: state.newId(1), cwd: cwd ?? "/fake/cwd", model: model ?? state.model, createdAt: now, updatedAt: now, preview: "", name: null, ephemeral, active: false };
  const thread: FakeThread = { fields, turns: [], runs: new Map(), usage: { input: 0, output: 0 }, archived: false };
  state.threads.set(fields.id, thread);
  return thread;
}

function activeRun(thread: FakeThread, turnId?: string): FakeTurnRun | undefined {
  for (const run of thread.runs.values()) if (run.active && (turnId === undefined || run.id === turnId)) return run;
  return undefined;
}

/** The methods whose params name a thread (`params.threadId`). */
type ThreadMethod = { [M in ClientRequestMethod]: ClientRequestParamsMap[M] extends { readonly threadId: string } ? M : never }[ClientRequestMethod];

// What the real server answers for a thread it does not have: the wording differs by method.
const noRollout = (threadId: string): string => `no rollout found for thread id ${threadId}`;
const notLoaded = (threadId: string): string => `thread not loaded: ${threadId}`;
const notFound = (threadId: string): string => `thread not found: ${threadId}`;
// turn/interrupt and turn/steer answer the same for a thread the fake does not have and for one without an active turn.
const noTurnToInterrupt = (): string => "no active turn to interrupt";
const noTurnToSteer = (): string => "no active turn to steer";

/**
 * A method on one thread: the handler gets the thread `params.threadId` names, looked up once;
 * when the fake has no such thread the method answers -32600 with `missing(threadId)`.
 */
function onThread<M extends ThreadMethod>(
  missing: (threadId: string) => string,
  handler: (thread: FakeThread, params: ClientRequestParamsMap[M], state: FakeState, respond: (result: ClientRequestResultMap[M]) => void) => MethodReply,
): MethodHandler<M> {
  return (params, state, respond) => {
    const thread = state.threads.get(params.threadId);
    return thread === undefined ? invalidRequest(missing(params.threadId)) : handler(thread, params, state, respond);
  };
}

/** The threads newest first (by last update, then by creation). */
function listed(state: FakeState, archived: boolean): FakeThread[] {
  const all = [...state.threads.values()].filter((t) => t.archived === archived);
  return all.map((t, i) => ({ t, i })).sort((a, b) => b.t.fields.updatedAt - a.t.fields.updatedAt || b.i - a.i).map((x) => x.t);
}

export const fakeMethods: MethodTable = {
  initialize: (params, state) => {
    if (state.initialized) return invalidRequest("Already initialized");
    state.initialized = true;
    return { result: initializeResult(params.clientInfo, state.userAgent) };
  },
  "thread/start": (params, state) => {
    const thread = threadOf(newThread(state, params.cwd, params.model, params.ephemeral ?? false).fields);
    return { result: threadOpenedResult(thread), then: [threadStarted(thread)] };
  },
  "thread/resume": onThread(noRollout, (thread) => ({ result: threadOpenedResult(threadOf(thread.fields, [...thread.turns])) })),
  "thread/fork": onThread(noRollout, (source, _params, state) => {
    const fork = newThread(state, source.fields.cwd, source.fields.model, source.fields.ephemeral);
    fork.turns.push(...source.turns);
    fork.fields = { ...fork.fields, preview: source.fields.preview };
    const thread = threadOf(fork.fields, [...fork.turns]);
    return { result: { ...threadOpenedResult(thread), thread: { ...thread, forkedFromId: source.fields.id } }, then: [threadStarted(thread)] };
  }),
  "thread/read": onThread(notLoaded, (thread, params) => ({ result: { thread: threadOf(thread.fields, params.includeTurns === true ? [...thread.turns] : []) } })),
  "thread/list": (params, state) => {
    const all = listed(state, params.archived === true);
    const start = params.cursor == null ? 0 : Number(params.cursor);
    const limit = params.limit ?? 25;
    const data = all.slice(start, start + limit).map((t) => threadOf(t.fields));
    return { result: { data, nextCursor: start + limit < all.length ? String(start + limit) : null, backwardsCursor: null } };
  },
  "thread/archive": onThread(noRollout, (thread, params) => {
    thread.archived = true;
    return { result: {}, then: [{ method: "thread/archived", params: { threadId: params.threadId } }] };
  }),
  "thread/unarchive": onThread(noRollout, (thread, params) => {
    thread.archived = false;
    return { result: { thread: threadOf(thread.fields) }, then: [{ method: "thread/unarchived", params: { threadId: params.threadId } }] };
  }),
  "thread/name/set": onThread(notFound, (thread, params) => {
    thread.fields = { ...thread.fields, name: params.name };
    return { result: {}, then: [{ method: "thread/name/updated", params: { threadId: params.threadId, threadName: params.name } }] };
  }),
  "thread/compact/start": onThread(notFound, () => ({ result: {} })),
  "turn/start": onThread(notFound, (thread, params, state, respond) => {
    state.beginTurn(thread, params.input, (turn) => respond({ turn }));
    return { later: true };
  }),
  "turn/interrupt": onThread(noTurnToInterrupt, (thread, params, _state, respond) => {
    const run = activeRun(thread, params.turnId);
    if (run === undefined) return invalidRequest(noTurnToInterrupt());
    run.interrupt(() => respond({}));
    return { later: true };
  }),
  "turn/steer": onThread(noTurnToSteer, (thread, params, state, respond) => {
    const run = activeRun(thread);
    if (run === undefined) return invalidRequest(noTurnToSteer());
    if (run.id !== params.expectedTurnId) return invalidRequest(`expected active turn id ${params.expectedTurnId} but found ${run.id}`);
    run.steer(params.input, state.followUp(thread, run.id, params.input), () => respond({ turnId: run.id }));
    return { later: true };
  }),
  "account/read": (_params, state) => ({ result: { account: state.account, requiresOpenaiAuth: state.requiresOpenaiAuth, userId: null } }),
  "account/login/start": (params, state) => {
    if (params.type === "apiKey") {
      state.account = { type: "apiKey" };
      return { result: { type: "apiKey" }, then: [accountUpdated(state.account)] };
    }
    if (params.type !== "chatgpt" && params.type !== "chatgptDeviceCode") return invalidRequest(`the fake app-server has no ${params.type} login`);
    // A newer attempt replaces the one in progress, which then completes unsuccessfully.
    const replaced = [...state.logins].map((id) => loginCompleted(id, false, "Login was replaced by a newer login attempt"));
    state.logins.clear();
    const loginId = state.newId(3);
    state.logins.add(loginId);
    if (params.type === "chatgpt") {
      const authUrl = `https://auth.openai.com/oauth/authorize?client_id=fake&redirect_uri=http%3A%2F%2Flocalhost%3A1455%2Fauth%2Fcallback&state=${loginId}`;
      return { result: { type: "chatgpt", loginId, authUrl }, then: replaced };
    }
    return { result: { type: "chatgptDeviceCode", loginId, verificationUrl: "https://auth.openai.com/codex/device", userCode: "FAKE-0001" }, then: replaced };
  },
  "account/login/cancel": (params, state) => {
    if (!state.logins.delete(params.loginId)) return { result: { status: "notFound" } };
    return { result: { status: "canceled" }, then: [loginCompleted(params.loginId, false, "Login server error: Login was not completed")] };
  },
  "account/logout": (_params, state) => {
    state.account = null;
    return { result: {}, then: [accountUpdated(null)] };
  },
  "model/list": (_params, state) => ({ result: { data: [mockModel(state.model)], nextCursor: null } }),
};
