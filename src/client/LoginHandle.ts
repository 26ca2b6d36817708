import { AsyncSubject, lastValueFrom, timer, type Observable, type Subscription } from "rxjs";
import type { AccountLoginCompletedNotification, CancelLoginAccountStatus } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { NotificationRouter, PendingLogin } from "../routing/NotificationRouter.js";
import { LoginIncompleteError } from "../errors/index.js";

/**
 * How a login attempt ended: the params of its `account/login/completed` notification
 * (`{ loginId, success, error }`), or, after {@link LoginHandle.cancel} when the server sent none
 * in time, a completion codex-rx made up with `success: false` (see `cancel`).
 */
export type LoginCompleted = AccountLoginCompletedNotification;

/**
 * @internal One attempt's completion, captured from BEFORE its `account/login/start` is sent: the
 * connection's router holds login completions until the response names the attempt, so an early
 * completion is not lost and a completion of any other attempt never gets in. Settles once.
 */
export class LoginCapture {
  private readonly outcome = new AsyncSubject<LoginCompleted>();
  private readonly pending: PendingLogin;
  private loginId: string | null = null;
  private done = false;
  private readonly subscription: Subscription;
  /** The one completion, replayed to every subscriber (an AsyncSubject: value, then complete). */
  readonly completed$: Observable<LoginCompleted> = this.outcome.asObservable();

  constructor(router: NotificationRouter) {
    this.pending = router.captureLogin();
    this.subscription = this.pending.completed$.subscribe({
      next: (n) => this.settle(n.params),
      error: (error: unknown) => this.fail(error),
      // The completion completes the capture right after it (settled by then), so reaching here
      // unsettled means the wire completed first: close() during the attempt.
      complete: () => this.fail(new LoginIncompleteError(this.loginId)),
    });
    if (this.done) this.subscription.unsubscribe();
  }

  /** True once the attempt has its completion (or failed). */
  get settled(): boolean {
    return this.done;
  }

  /** The start response named the attempt: release the buffered completions of this id. */
  named(loginId: string): void {
    this.loginId = loginId;
    this.pending.claim(loginId);
  }

  /** The start failed: stop listening (nobody holds this attempt). */
  abandon(): void {
    this.done = true;
    this.subscription.unsubscribe();
    this.pending.abandon();
  }

  /** Settles with `value` unless already settled. */
  settle(value: LoginCompleted): void {
    if (this.done) return;
    this.done = true;
    this.outcome.next(value);
    this.outcome.complete();
    this.subscription?.unsubscribe();
    this.pending.abandon();
  }

  private fail(error: unknown): void {
    if (this.done) return;
    this.done = true;
    this.outcome.error(error);
  }
}

/**
 * One interactive login attempt (ChatGPT in a browser, or a device code): its id, its one
 * completion, and `cancel()`. Made by `codex.loginChatgpt()` / `codex.loginChatgptDeviceCode()`.
 * `await using login = …` cancels the attempt at the end of the scope unless it completed.
 */
export abstract class LoginHandle implements AsyncDisposable {
  /** Which flow this attempt runs. */
  abstract readonly type: "chatgpt" | "chatgptDeviceCode";

  /**
   * This attempt's `account/login/completed` params: one value, then complete; replayed to late
   * subscribers. Captured from before the start request was sent, so an early completion is not
   * lost; the completion of another attempt (one this attempt replaced, or a concurrent one) never
   * arrives here. Fails with {@link LoginIncompleteError} when the client closes first, and with
   * `TransportClosedError` when the process dies.
   */
  readonly completed$: Observable<LoginCompleted>;

  /** @internal Made by the `Codex` login methods. */
  constructor(
    private readonly rpc: RpcConnection,
    /** The attempt's id, as the server named it. */
    readonly loginId: string,
    private readonly capture: LoginCapture,
    private readonly cancelGraceMs: number,
  ) {
    this.completed$ = capture.completed$;
  }

  /**
   * Waits for the attempt to end: `lastValueFrom(completed$)`. Resolves with `success: false`
   * (never rejects) when the attempt is cancelled, replaced by a newer attempt, or fails.
   *
   * @returns the completion: `success`, and `error` when it failed
   * @throws {LoginIncompleteError} when the client is closed before the attempt ends
   * @throws {TransportClosedError} when the app-server dies first
   * @example
   * ```ts
   * const { success, error } = await login.wait();
   * ```
   */
  wait(): Promise<LoginCompleted> {
    return lastValueFrom(this.completed$);
  }

  /**
   * Cancels the attempt (`account/login/cancel`) and resolves once `completed$` has its value.
   * The server answers `canceled` and sends an unsuccessful `account/login/completed` (see the
   * FAQ for what it says). Should no completion follow within
   * `cancelGraceMs` (default 2,000 ms), codex-rx completes the handle itself with
   * `{ loginId, success: false, error: "login cancelled by the client" }`, so `wait()` never
   * hangs after `cancel()`. Cancelling a finished attempt is harmless: the server answers
   * `notFound` and the completion stays what it was.
   *
   * @returns the server's answer: `"canceled"`, or `"notFound"` when the attempt had already ended
   * @throws {TransportClosedError} when the app-server is gone
   * @throws {JsonRpcError} when the server rejects the request
   * @example
   * ```ts
   * await login.cancel();
   * (await login.wait()).success; // false
   * ```
   */
  async cancel(): Promise<CancelLoginAccountStatus> {
    const { status } = await this.rpc.request("account/login/cancel", { loginId: this.loginId });
    if (!this.capture.settled) {
      const grace = timer(this.cancelGraceMs).subscribe(() =>
        this.capture.settle({ loginId: this.loginId, success: false, error: "login cancelled by the client" }),
      );
      // Its failure (the wire closed meanwhile) is reported by wait() / completed$, not here.
      await lastValueFrom(this.completed$).catch(() => undefined);
      grace.unsubscribe();
    }
    return status;
  }

  /** `await using login = await codex.loginChatgpt()`: cancels the attempt unless it has ended. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.capture.settled) await this.cancel();
  }
}

/**
 * A ChatGPT browser login in progress: open {@link ChatgptLoginHandle.authUrl} in a browser; the
 * app-server's local callback server receives the result and
 * `completed$` emits.
 *
 * @example
 * ```ts
 * const login = await codex.loginChatgpt();
 * console.log("Open", login.authUrl);
 * const { success } = await login.wait();
 * ```
 */
export class ChatgptLoginHandle extends LoginHandle {
  readonly type = "chatgpt" as const;

  /** @internal */
  constructor(
    rpc: RpcConnection,
    loginId: string,
    /** The URL to open in a browser (its `redirect_uri` names the local callback port). */
    readonly authUrl: string,
    capture: LoginCapture,
    cancelGraceMs: number,
  ) {
    super(rpc, loginId, capture, cancelGraceMs);
  }
}

/**
 * A ChatGPT device-code login in progress: show the user {@link DeviceCodeLoginHandle.userCode}
 * and {@link DeviceCodeLoginHandle.verificationUrl}; `completed$` emits once they have entered
 * it (on any device).
 *
 * @example
 * ```ts
 * const dc = await codex.loginChatgptDeviceCode();
 * console.log(`Go to ${dc.verificationUrl} and enter ${dc.userCode}`);
 * const { success } = await dc.wait();
 * ```
 */
export class DeviceCodeLoginHandle extends LoginHandle {
  readonly type = "chatgptDeviceCode" as const;

  /** @internal */
  constructor(
    rpc: RpcConnection,
    loginId: string,
    /** Where the user enters the code. */
    readonly verificationUrl: string,
    /** The one-time code to enter there. */
    readonly userCode: string,
    capture: LoginCapture,
    cancelGraceMs: number,
  ) {
    super(rpc, loginId, capture, cancelGraceMs);
  }
}
