import { VirtualTimeScheduler } from "rxjs";
import { InvalidParamsError, RetryLimitExceededError, ServerBusyError } from "../../src/errors/index.js";
import { withRetry } from "../../src/rpc/withRetry.js";

const busy = new ServerBusyError({ code: -32001, message: "Server overloaded; retry later." });
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Drives a Promise whose timers live on a VirtualTimeScheduler: lets its microtasks run, then
 * moves virtual time to the next timer only, until the Promise settles. Never sleeps.
 */
async function settle<T>(scheduler: VirtualTimeScheduler, promise: Promise<T>): Promise<{ value?: T; error?: unknown; at: number }> {
  let outcome: { value?: T; error?: unknown } | undefined;
  promise.then(
    (value) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  for (let steps = 0; outcome === undefined; steps += 1) {
    if (steps > 100) throw new Error("did not settle");
    await tick();
    if (outcome !== undefined) break;
    const next = scheduler.actions[0];
    if (next === undefined) continue;
    scheduler.maxFrames = next.delay;
    scheduler.flush();
  }
  return { ...outcome, at: scheduler.now() };
}

describe("withRetry", () => {
  it("calls fn again after 250 and 500 ms of virtual time and resolves with the attempt that succeeds", async () => {
    const scheduler = new VirtualTimeScheduler();
    const calledAt: number[] = [];
    const fn = () => {
      calledAt.push(scheduler.now());
      return calledAt.length < 3 ? Promise.reject(busy) : Promise.resolve("ok");
    };
    const outcome = await settle(scheduler, withRetry(fn, { scheduler, random: () => 0.5 }));
    expect(outcome).toEqual({ value: "ok", at: 750 });
    expect(calledAt).toEqual([0, 250, 750]);
  });

  it("rejects with RetryLimitExceededError (attempts, cause) when every attempt is busy", async () => {
    const scheduler = new VirtualTimeScheduler();
    let calls = 0;
    const fn = () => {
      calls += 1;
      return Promise.reject(busy);
    };
    const outcome = await settle(scheduler, withRetry(fn, { scheduler, random: () => 0.5 }));
    expect(outcome.at).toBe(750);
    expect(outcome.error).toBeInstanceOf(RetryLimitExceededError);
    expect(outcome.error).toMatchObject({ attempts: 3, reason: "attempts", cause: busy });
    expect(calls).toBe(3);
  });

  it("rejects at once with any other error, untouched", async () => {
    const scheduler = new VirtualTimeScheduler();
    const invalid = new InvalidParamsError({ code: -32602, message: "bad params" });
    let calls = 0;
    const fn = () => {
      calls += 1;
      return Promise.reject(invalid);
    };
    const outcome = await settle(scheduler, withRetry(fn, { scheduler }));
    expect(outcome).toEqual({ error: invalid, at: 0 });
    expect(outcome.error).toBe(invalid);
    expect(calls).toBe(1);
  });

  it("rejects at the deadline when fn never settles, with reason deadline", async () => {
    const scheduler = new VirtualTimeScheduler();
    const outcome = await settle(scheduler, withRetry(() => new Promise<never>(() => undefined), { scheduler, timeoutMs: 5000 }));
    expect(outcome.at).toBe(5000);
    expect(outcome.error).toMatchObject({ name: "RetryLimitExceededError", attempts: 1, reason: "deadline" });
    expect(scheduler.actions).toHaveLength(0);
  });

  it("rejects (does not throw) for invalid options", async () => {
    let calls = 0;
    const fn = () => {
      calls += 1;
      return Promise.resolve(1);
    };
    const result = withRetry(fn, { maxAttempts: 0 });
    await expect(result).rejects.toBeInstanceOf(RangeError);
    expect(calls).toBe(0);
  });
});
