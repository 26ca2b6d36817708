import { backoffDelay } from "../../src/transport/backoffDelay.js";

describe("backoffDelay", () => {
  it("doubles from 250 ms and caps at 2000 ms when there is no jitter", () => {
    const delays = [1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, {}, () => 0.5));
    expect(delays).toEqual([250, 500, 1000, 2000, 2000, 2000]);
  });

  it("keeps every delay within ±jitterRatio of its base, never above the cap nor below 0", () => {
    const randoms = [0, 0.001, 0.25, 0.5, 0.75, 0.999, 0.9999999];
    for (let attempt = 1; attempt <= 8; attempt += 1) {
      const base = Math.min(2000, 250 * 2 ** (attempt - 1));
      for (const r of randoms) {
        const delay = backoffDelay(attempt, {}, () => r);
        expect(delay).toBeGreaterThanOrEqual(base * 0.8);
        expect(delay).toBeLessThanOrEqual(Math.min(2000, base * 1.2));
      }
    }
    expect(backoffDelay(1, {}, () => 0)).toBe(200);
    expect(backoffDelay(4, {}, () => 0)).toBe(1600);
    expect(backoffDelay(4, {}, () => 0.99)).toBe(2000);
  });

  it("uses the given initialDelayMs, maxDelayMs and jitterRatio", () => {
    expect(backoffDelay(1, { initialDelayMs: 100, jitterRatio: 0 }, () => 0)).toBe(100);
    expect(backoffDelay(3, { initialDelayMs: 100, maxDelayMs: 300 }, () => 0.5)).toBe(300);
    expect(backoffDelay(1, { jitterRatio: 0.5 }, () => 0)).toBe(125);
    // A ratio above 1 cannot push the delay below 0.
    expect(backoffDelay(1, { jitterRatio: 3 }, () => 0)).toBe(0);
  });

  it("stays finite for huge attempt numbers and zero delays", () => {
    expect(backoffDelay(5000, {}, () => 0.5)).toBe(2000);
    expect(backoffDelay(3, { initialDelayMs: 0 }, () => 0.9)).toBe(0);
    expect(backoffDelay(3, { maxDelayMs: 0 }, () => 0.9)).toBe(0);
  });

  it("calls random once per delay", () => {
    let calls = 0;
    backoffDelay(2, {}, () => {
      calls += 1;
      return 0.5;
    });
    expect(calls).toBe(1);
  });

  it("rejects an attempt that is not a positive integer", () => {
    expect(() => backoffDelay(0)).toThrow(RangeError);
    expect(() => backoffDelay(1.5)).toThrow(RangeError);
  });
});
