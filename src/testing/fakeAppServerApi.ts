import type { Observable, SchedulerLike } from "rxjs";
import type { Account, ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import type { JsonRpcErrorObject } from "../errors/index.js";
import type { Transport } from "../transport/Transport.js";
import type { FakeTurn, FakeTurnResponder, echoTurn } from "./fakeTurn.js";
import type { FakeAnswerBody } from "./fakeTurnRun.js";
import type { FakeCommandResponder, FakeProcess } from "./fakeCommands.js";
import type { FakeReviewResponder } from "./fakeReview.js";

// The public face of the in-memory fake app-server (implemented in fakeAppServer.ts).

/** Options of {@link fakeAppServer}. */
export interface FakeAppServerOptions {
  /** The fake's clock: a `TestScheduler` runs it in virtual time (drive it with `advance()`). Default `asyncScheduler`. */
  readonly scheduler?: SchedulerLike;
  /** Decides each turn that has no queued script. Default {@link echoTurn}. */
  readonly respond?: FakeTurnResponder;
  /** Milliseconds before each answer. Default 0. */
  readonly latencyMs?: number;
  /** Milliseconds between a turn's notifications. Default 0 (sent together, as one chunk). */
  readonly stepMs?: number;
  /** The model every thread reports and `model/list` offers. Default `mock-model`. */
  readonly model?: string;
  /** The `initialize` result's `userAgent`. Default `<client name>/<protocol version> (codex-rx fake app-server) …`. */
  readonly userAgent?: string;
  /** The account `account/read` reports before any login. Default `null` (logged out). */
  readonly account?: Account | null;
  /**
   * What `account/read` says of the provider. Default `false`, like the kit's fake model provider:
   * turns run without a login. `true` plays the default OpenAI provider, where a turn without a
   * login fails with `AuthRequiredError` before it is sent.
   */
  readonly requiresOpenaiAuth?: boolean;
}

/** A request the client sent. */
export interface FakeClientRequest {
  readonly id: string | number;
  readonly method: string;
  readonly params: unknown;
}

/** A request the fake sent to the client, with the client's answer. */
export interface FakeServerRequestAnswer {
  readonly request: FakeClientRequest;
  readonly response: FakeAnswerBody;
}

/** What `handle()` returns: a result (and notifications sent right after it) or a JSON-RPC error. */
export type FakeMethodReply<M extends ClientRequestMethod> = { readonly result: ClientRequestResultMap[M]; readonly then?: readonly Notification[] } | { readonly error: JsonRpcErrorObject };

/** An in-memory app-server; see {@link fakeAppServer}. */
export interface FakeAppServer extends AsyncDisposable {
  /** Give it to `Codex.start({ transport })`. */
  readonly transport: Transport;
  /** Every message the client sent (requests, notifications, answers), parsed, in order. */
  readonly received: readonly unknown[];
  /** Every answer the client gave to a server request, in order. */
  readonly answers: readonly FakeServerRequestAnswer[];
  /** Each answer as it arrives. */
  readonly answers$: Observable<FakeServerRequestAnswer>;
  /** Decides turns when the queue is empty; assignable. */
  respond: FakeTurnResponder;
  /**
   * Decides what each `command/exec` does (output pieces with delays, exit code, running until
   * terminated or until stdin closes, echoing stdin); assignable. Default: exit 0, no output.
   */
  commands: FakeCommandResponder;
  /** Every command the client started, by process id: its stdin, resizes, whether it was terminated, its exit code. */
  readonly processes: ReadonlyMap<string, FakeProcess>;
  /** The `fs/watch`es open now: watch id → path. Empty again after `fs/unwatch` or the connection's end. */
  readonly watches: ReadonlyMap<string, string>;
  /** Decides the text of each review (`review/start`); assignable. Default `fake review: no issues found`. */
  reviews: FakeReviewResponder;
  /**
   * Plays a change on disk: each open watch whose path is one of `paths` or a folder above one
   * gets `fs/changed` with those paths.
   *
   * @param paths absolute paths that changed
   */
  changeFiles(paths: readonly string[]): void;
  /**
   * The client's requests, optionally of one method.
   *
   * @param method only this method
   * @returns the requests, in order
   */
  requests(method?: string): FakeClientRequest[];
  /**
   * Queues turn scripts: each next turn (client- or server-started) takes the first.
   *
   * @param turns the scripts
   */
  enqueue(...turns: FakeTurn[]): void;
  /**
   * Replaces the fake's answer to a method, or answers one it does not implement (e.g. `config/read`).
   *
   * @param method the client request method
   * @param handler validated params in, a result or an error out
   */
  handle<M extends ClientRequestMethod>(method: M, handler: (params: ClientRequestParamsMap[M]) => FakeMethodReply<M>): void;
  /**
   * Answers the next `times` requests of `method` with a JSON-RPC error (e.g. -32001 overloaded).
   *
   * @param method the method
   * @param error the error object
   * @param times how many requests (default 1)
   */
  fail(method: string, error: JsonRpcErrorObject, times?: number): void;
  /**
   * Sends a notification now (a goal update, a warning, anything).
   *
   * @param notification the notification
   */
  notify(notification: Notification): void;
  /**
   * Sends a server request now, outside any turn.
   *
   * @param method the server request method
   * @param params its params
   * @returns the client's answer
   * @throws {Error} when the connection closes before the client answers
   */
  request(method: string, params: unknown): Promise<FakeAnswerBody>;
  /**
   * Starts a turn by itself on a thread, as the server does for goal continuations.
   *
   * @param threadId the thread
   * @param turn the script; default the queue, then `respond("")`
   * @returns the new turn's id
   * @throws {RangeError} when the thread is unknown
   */
  startTurn(threadId: string, turn?: FakeTurn): string;
  /**
   * Completes an interactive login (ChatGPT): `account/login/completed`, and on success `account/updated`.
   *
   * @param options which attempt (default the one in progress), success (default true), error
   * @throws {RangeError} when no such attempt is in progress
   */
  completeLogin(options?: { readonly loginId?: string; readonly success?: boolean; readonly error?: string }): void;
  /**
   * Moves a virtual clock (`scheduler` was a `TestScheduler`) forward, letting Promises settle.
   *
   * @param ms how far; default until nothing is scheduled
   * @throws {TypeError} when the scheduler is not virtual
   */
  advance(ms?: number): Promise<void>;
  /**
   * The server dies: `messages$` errors with `TransportClosedError` carrying `exitCode`.
   *
   * @param exitCode the exit code (default 1)
   */
  exit(exitCode?: number): void;
  /** Stops every turn, fails unanswered `request()`s, completes `answers$` and closes the transport. Idempotent. */
  close(): Promise<void>;
}
