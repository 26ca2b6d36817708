import { Observable, asyncScheduler } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { FakeSequence, type SequenceAction } from "../../src/testing/fakeSequence.js";
import { advanceVirtualTime } from "../../src/testing/virtualTime.js";

/** An Observable of the letters the actions emit, run by a FakeSequence on `scheduler`. */
function sequence$(scheduler: TestScheduler, actions: (emit: (letter: string) => void, sequence: FakeSequence) => SequenceAction[]): Observable<string> {
  return new Observable<string>((subscriber) => {
    const sequence = new FakeSequence(scheduler);
    sequence.push(...actions((letter) => subscriber.next(letter), sequence));
    return () => sequence.cancel();
  });
}

describe("FakeSequence", () => {
  let testScheduler: TestScheduler;
  beforeEach(() => {
    testScheduler = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("runs actions one after another, each delay counted from the previous action", () => {
    testScheduler.run(({ expectObservable }) => {
      const out$ = sequence$(testScheduler, (emit) => [
        { delayMs: 2, run: () => emit("a") },
        { delayMs: 3, run: () => emit("b") },
        { delayMs: 0, run: () => emit("c") },
      ]);
      expectObservable(out$).toBe("--a--(bc)");
    });
  });

  it("runs zero-delay actions in the same frame as the one before, but never inside push()", () => {
    testScheduler.run(({ expectObservable, flush }) => {
      const out$ = sequence$(testScheduler, (emit) => [
        { delayMs: 0, run: () => emit("a") },
        { delayMs: 0, run: () => emit("b") },
      ]);
      expectObservable(out$).toBe("(ab)");
      flush();
      const ran: string[] = [];
      const sequence = new FakeSequence(testScheduler);
      sequence.push({ delayMs: 0, run: () => void ran.push("x") });
      expect(ran).toEqual([]);
      flush();
      expect(ran).toEqual(["x"]);
    });
  });

  it("waits at an action that pauses until resume(), then goes on with the next delay", () => {
    testScheduler.run(({ expectObservable, cold }) => {
      const out$ = sequence$(testScheduler, (emit, sequence) => {
        cold("-----x").subscribe(() => sequence.resume());
        return [
          { delayMs: 1, run: () => (emit("a"), "pause" as const) },
          { delayMs: 2, run: () => emit("b") },
        ];
      });
      expectObservable(out$).toBe("-a-----b");
    });
  });

  it("cancel() drops what has not run; actions pushed after run on", () => {
    testScheduler.run(({ expectObservable, cold }) => {
      const out$ = sequence$(testScheduler, (emit, sequence) => {
        cold("---x").subscribe(() => {
          sequence.cancel();
          sequence.push({ delayMs: 1, run: () => emit("z") });
        });
        return [
          { delayMs: 1, run: () => emit("a") },
          { delayMs: 5, run: () => emit("b") },
        ];
      });
      expectObservable(out$).toBe("-a--z");
    });
  });

  it("is busy while actions wait, and idle after the last one", () => {
    testScheduler.run(({ flush }) => {
      const sequence = new FakeSequence(testScheduler);
      expect(sequence.busy).toBe(false);
      sequence.push({ delayMs: 3, run: () => undefined });
      expect(sequence.busy).toBe(true);
      flush();
      expect(sequence.busy).toBe(false);
    });
  });
});

describe("advanceVirtualTime", () => {
  it("moves the clock one action at a time and lets Promise callbacks run in between", async () => {
    const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
    const log: string[] = [];
    scheduler.schedule(() => {
      log.push(`a@${scheduler.now()}`);
      void Promise.resolve().then(() => log.push("then a"));
    }, 10);
    scheduler.schedule(() => log.push(`b@${scheduler.now()}`), 10);
    scheduler.schedule(() => log.push(`c@${scheduler.now()}`), 50);
    await advanceVirtualTime(scheduler, 20);
    expect(log).toEqual(["a@10", "then a", "b@10"]);
    expect(scheduler.now()).toBe(20);
    await advanceVirtualTime(scheduler);
    expect(log.at(-1)).toBe("c@50");
    expect(scheduler.now()).toBe(50);
  });

  it("refuses a scheduler that is not virtual", async () => {
    await expect(advanceVirtualTime(asyncScheduler)).rejects.toThrow(TypeError);
  });
});
