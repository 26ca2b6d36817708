import type { Observable } from "rxjs";
import type { LoginCompletedNotification } from "./forLogin.js";
import { loginIdOf } from "./loginIdOf.js";
import { ReplayLog } from "../streams/ReplayLog.js";
import type { StreamEnd } from "../streams/StreamEnd.js";

/** A login being started: capturing since `NotificationRouter.captureLogin`, before `account/login/start` is sent. */
export interface PendingLogin {
  /**
   * The attempt's `account/login/completed`, at most one value, then complete; replayed to late
   * subscribers. Errors when the wire dies; completes empty when the connection closes first.
   */
  readonly completed$: Observable<LoginCompletedNotification>;
  /**
   * The response named the attempt: delivers its completion if it came early, else waits for it.
   *
   * @param loginId the id from the `account/login/start` response
   */
  claim(loginId: string): void;
  /** The attempt is given up (the request failed, the caller stopped): forget it. */
  abandon(): void;
}

interface LoginWait {
  readonly log: ReplayLog<LoginCompletedNotification>;
  loginId: string | undefined;
  /** Index in `unclaimed` (counted from `unclaimedBase`) from which this attempt's completion may be. */
  readonly from: number;
  active: boolean;
}

/**
 * @internal The router's login table: interactive login attempts by login id, and the completions
 * kept unclaimed while an `account/login/start` is in flight (its answer names the attempt). One `Map`
 * lookup per `account/login/completed`, whatever the number of attempts.
 */
export class LoginRoutes {
  private readonly byId = new Map<string, LoginWait>();
  /** Login completions kept while an `account/login/start` is in flight (for the attempts in `waits`). */
  private unclaimed: LoginCompletedNotification[] = [];
  private unclaimedBase = 0;
  /** The attempts not named yet (their `account/login/start` is in flight). */
  private readonly waits = new Set<LoginWait>();
  /** How the wire ended; `undefined` while it is open. */
  private ended: StreamEnd | undefined;

  /**
   * Starts capturing the completion of an interactive login, before `account/login/start` is sent.
   *
   * @returns the pending capture
   */
  capture(): PendingLogin {
    const wait: LoginWait = { log: new ReplayLog(), loginId: undefined, from: this.unclaimedBase + this.unclaimed.length, active: true };
    this.waits.add(wait);
    if (this.ended !== undefined && this.ended !== "completed") this.endLogin(wait);
    return {
      completed$: wait.log.values$,
      claim: (loginId) => {
        if (!wait.active || wait.loginId !== undefined) return;
        wait.loginId = loginId;
        const start = wait.from - this.unclaimedBase;
        const early = this.unclaimed.slice(Math.max(0, start)).find((n) => loginIdOf(n) === loginId);
        this.release(wait);
        if (early !== undefined) settle(wait, early);
        else if (this.ended !== undefined) this.endLogin(wait);
        else this.byId.set(loginId, wait);
      },
      abandon: () => {
        wait.active = false;
        this.release(wait);
        if (wait.loginId !== undefined && this.byId.get(wait.loginId) === wait) this.byId.delete(wait.loginId);
      },
    };
  }

  /**
   * Routes one `account/login/completed`: to the attempt it completes, or kept for the attempts
   * not named yet; else it is not ours.
   *
   * @param n the completion, in wire order
   */
  route(n: LoginCompletedNotification): void {
    const loginId = loginIdOf(n);
    if (loginId === undefined) return;
    const wait = this.byId.get(loginId);
    if (wait !== undefined) {
      this.byId.delete(loginId);
      settle(wait, n);
      return;
    }
    if (this.waits.size > 0) this.unclaimed.push(n);
  }

  /**
   * The wire ended: every named attempt ends with it; an attempt not named yet learns of a
   * completed wire at its claim (an unclaimed completion may still be its own), of a dead one at once.
   *
   * @param end how the wire ended
   */
  end(end: StreamEnd): void {
    if (this.ended !== undefined) return;
    this.ended = end;
    for (const wait of [...this.byId.values()]) this.endLogin(wait);
    this.byId.clear();
    if (end !== "completed") for (const wait of this.waits) this.endLogin(wait);
  }

  /** An attempt no longer needs the unclaimed completions; drop them once no attempt does. */
  private release(wait: LoginWait): void {
    this.waits.delete(wait);
    if (this.waits.size === 0) {
      this.unclaimedBase += this.unclaimed.length;
      this.unclaimed = [];
    }
  }

  private endLogin(wait: LoginWait): void {
    wait.active = false;
    wait.log.end(this.ended ?? "completed");
  }
}

function settle(wait: LoginWait, n: LoginCompletedNotification): void {
  wait.active = false;
  wait.log.push(n);
  wait.log.complete();
}
