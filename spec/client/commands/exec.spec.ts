import { NEVER, forkJoin, of, switchMap, takeUntil, throwError, timeout } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { exec$ } from "../../../src/client/commands/exec.js";
import type { Notification } from "../../../src/protocol/notifications.js";
import { ConnectionLostError, InvalidInputError, JsonRpcError, TransportClosedError } from "../../../src/errors/index.js";
import { chunk, delta, exitAnswer, marbleContext } from "../../helpers/workMarbles.js";

const refused = (message: string): JsonRpcError => JsonRpcError.from({ code: -32600, message }, { method: "command/exec/terminate" });

describe("exec$", () => {
  let ts: TestScheduler;
  beforeEach(() => {
    ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
  });

  it("emits each output delta as a chunk, then the exit, then completes", () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const wire = hot("   --a--b-----|", { a: delta("hel"), b: delta("oops", "stderr") });
      const answer = cold("--------(x|)", { x: exitAnswer(3) });
      const { ctx, sent } = marbleContext(ts, wire, { "command/exec": answer });
      expectObservable(exec$(ctx, ["sh", "-c", "x"])).toBe("--a--b--(x|)", { a: chunk("hel"), b: chunk("oops", "oops", "stderr"), x: { exitCode: 3 } });
      expectSubscriptions(answer.subscriptions).toBe("^-------!");
      ts.flush();
      expect(sent).toEqual([{ method: "command/exec", params: { command: ["sh", "-c", "x"], streamStdoutStderr: true, processId: "p1" }, at: 0 }]);
    });
  });

  it("decodes a character whose bytes are split between two chunks in the later one", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const e = Buffer.from("é");
      const wire = hot("   -a-b-|", { a: delta(Buffer.from([0x68, e[0] ?? 0])), b: delta(Buffer.from([e[1] ?? 0, 0x21])) });
      const answer = cold("-----(x|)", { x: exitAnswer(0) });
      const { ctx } = marbleContext(ts, wire, { "command/exec": answer });
      expectObservable(exec$(ctx, ["printf"])).toBe("-a-b-(x|)", {
        a: chunk("h", Buffer.from([0x68, e[0] ?? 0])),
        b: chunk("é!", Buffer.from([e[1] ?? 0, 0x21])),
        x: { exitCode: 0 },
      });
    });
  });

  it("ignores the output of other processes", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const wire = hot("   -a-b-|", { a: delta("other", "stdout", "p9"), b: delta("mine") });
      const answer = cold("-----(x|)", { x: exitAnswer(0) });
      const { ctx } = marbleContext(ts, wire, { "command/exec": answer });
      expectObservable(exec$(ctx, ["x"])).toBe("---b-(x|)", { b: chunk("mine"), x: { exitCode: 0 } });
    });
  });

  it("terminates the process when unsubscribed before the exit, and lets go of the command once the terminate is answered", () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const wire = hot("   -a------|", { a: delta("x") });
      const answer = cold("------(x|)", { x: exitAnswer(137) });
      const { ctx, sent } = marbleContext(ts, wire, { "command/exec": answer, "command/exec/terminate": cold("-(t|)", { t: {} }) });
      expectObservable(exec$(ctx, ["sleep", "9"]), "^--!").toBe("-a--", { a: chunk("x") });
      expectSubscriptions(answer.subscriptions).toBe("^---!");
      ts.flush();
      expect(sent.map((s) => [s.method, s.at])).toEqual([["command/exec", 0], ["command/exec/terminate", 3]]);
    });
  });

  it("sends no terminate when unsubscribed after the exit", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-|"), { "command/exec": cold("-(x|)", { x: exitAnswer(0) }) });
      expectObservable(exec$(ctx, ["true"]), "^---!").toBe("-(x|)", { x: { exitCode: 0 } });
      ts.flush();
      expect(sent.map((s) => s.method)).toEqual(["command/exec"]);
    });
  });

  it("tries the terminate again while the server does not know the process yet, and stops when it exits", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const notYet = cold("#", undefined, refused('no active command/exec for process id "p1"'));
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-|"), {
        "command/exec": cold("200ms (x|)", { x: exitAnswer(137) }),
        "command/exec/terminate": [notYet, notYet, cold("(t|)", { t: {} })],
      });
      expectObservable(exec$(ctx, ["sleep", "9"]), "^!").toBe("-");
      ts.flush();
      expect(sent.filter((s) => s.method === "command/exec/terminate").map((s) => s.at)).toEqual([1, 51, 101]);
    });
  });

  it("is cancelled by takeUntil: the process is terminated at the notifier", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const stop = hot("----s");
      const { ctx, sent } = marbleContext(ts, hot("-a---a-|", { a: delta("x") }), { "command/exec": cold("----------(x|)", { x: exitAnswer(137) }) });
      expectObservable(exec$(ctx, ["yes"]).pipe(takeUntil(stop))).toBe("-a--|", { a: chunk("x") });
      ts.flush();
      expect(sent.map((s) => [s.method, s.at])).toEqual([["command/exec", 0], ["command/exec/terminate", 4]]);
    });
  });

  it("is cancelled by timeout: the error is the timeout's and the process is terminated", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "command/exec": cold("1000ms (x|)", { x: exitAnswer(137) }) });
      const tooLong = new Error("too long");
      expectObservable(exec$(ctx, ["sleep", "9"]).pipe(timeout({ first: 5, with: () => throwError(() => tooLong) }))).toBe("-----#", undefined, tooLong);
      ts.flush();
      expect(sent.map((s) => [s.method, s.at])).toEqual([["command/exec", 0], ["command/exec/terminate", 5]]);
    });
  });

  it("under switchMap, a new value terminates the running command and starts the next", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), {
        "command/exec": [cold("---------(x|)", { x: exitAnswer(137) }), cold("--(x|)", { x: exitAnswer(0) })],
      });
      const files = hot("-a--b----|");
      expectObservable(files.pipe(switchMap((f) => exec$(ctx, ["lint", f])))).toBe("------x--|", { x: { exitCode: 0 } });
      ts.flush();
      expect(sent.map((s) => [s.method, s.params["processId"], s.at])).toEqual([
        ["command/exec", "p1", 1],
        ["command/exec/terminate", "p1", 4],
        ["command/exec", "p2", 4],
      ]);
    });
  });

  it("in forkJoin, one command failing terminates the others", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const failure = new JsonRpcError({ code: -32600, message: "sandbox denied" }, { method: "command/exec" });
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), {
        "command/exec": [cold("--------(x|)", { x: exitAnswer(0) }), cold("---#", undefined, failure), cold("--------(x|)", { x: exitAnswer(0) })],
      });
      expectObservable(forkJoin([exec$(ctx, ["a"]), exec$(ctx, ["b"]), exec$(ctx, ["c"])])).toBe("---#", undefined, failure);
      ts.flush();
      expect(sent.filter((s) => s.method === "command/exec/terminate").map((s) => [s.params["processId"], s.at])).toEqual([
        ["p1", 3],
        ["p3", 3],
      ]);
    });
  });

  it("writes stdin as it emits, closes it when it completes, in order", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const stdin = cold("-a-b-|", { a: "hi ", b: new Uint8Array([0x21]) });
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "command/exec": cold("--------(x|)", { x: exitAnswer(0) }) });
      expectObservable(exec$(ctx, ["cat"], { stdin })).toBe("--------(x|)", { x: { exitCode: 0 } });
      ts.flush();
      expect(sent[0]?.params).toMatchObject({ streamStdin: true });
      expect(sent.slice(1).map((s) => [s.method, s.params, s.at])).toEqual([
        ["command/exec/write", { processId: "p1", deltaBase64: Buffer.from("hi ").toString("base64") }, 1],
        ["command/exec/write", { processId: "p1", deltaBase64: Buffer.from("!").toString("base64") }, 3],
        ["command/exec/write", { processId: "p1", closeStdin: true }, 5],
      ]);
    });
  });

  it("stops reading stdin once the command has exited", () => {
    ts.run(({ hot, cold, expectObservable, expectSubscriptions }) => {
      const stdin = cold("-a---a-a|", { a: "x" });
      const { ctx } = marbleContext(ts, hot<Notification>("-"), { "command/exec": cold("---(x|)", { x: exitAnswer(0) }) });
      expectObservable(exec$(ctx, ["head", "-c1"], { stdin })).toBe("---(x|)", { x: { exitCode: 0 } });
      expectSubscriptions(stdin.subscriptions).toBe("^--!");
    });
  });

  it("resizes the terminal on every value of tty.resize$, after the initial size", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const resize$ = cold("--s-t|", { s: { rows: 20, cols: 80 }, t: { rows: 30, cols: 100 } });
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "command/exec": cold("-------(x|)", { x: exitAnswer(0) }) });
      expectObservable(exec$(ctx, ["vim"], { tty: { size: { rows: 10, cols: 40 }, resize$ } })).toBe("-------(x|)", { x: { exitCode: 0 } });
      ts.flush();
      expect(sent[0]?.params).toMatchObject({ tty: true, size: { rows: 10, cols: 40 } });
      expect(sent.slice(1).map((s) => [s.method, s.params["size"], s.at])).toEqual([
        ["command/exec/resize", { rows: 20, cols: 80 }, 2],
        ["command/exec/resize", { rows: 30, cols: 100 }, 4],
      ]);
    });
  });

  it("refuses an empty argv, an unknown option and a contradicting sandbox before anything is sent", () => {
    ts.run(({ hot, expectObservable }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), {});
      const empty = exec$(ctx, []);
      expectObservable(empty).toBe("#", undefined, expect.any(InvalidInputError));
      expectObservable(exec$(ctx, ["ls"], { cwdd: "/" } as never)).toBe("#", undefined, expect.objectContaining({ name: "InvalidInputError", message: expect.stringContaining("did you mean cwd") }));
      expectObservable(exec$(ctx, ["ls"], { sandbox: "read-only", sandboxPolicy: { type: "dangerFullAccess" } })).toBe("#", undefined, expect.any(InvalidInputError));
      ts.flush();
      expect(sent).toEqual([]);
    });
  });

  it("sends a sandbox preset as its sandboxPolicy", () => {
    ts.run(({ hot, cold }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "command/exec": cold("(x|)", { x: exitAnswer(0) }) });
      exec$(ctx, ["ls"], { sandbox: "read-only", cwd: "/repo", env: { A: "1" } }).subscribe();
      ts.flush();
      expect(sent[0]?.params).toEqual({ command: ["ls"], cwd: "/repo", env: { A: "1" }, sandboxPolicy: { type: "readOnly" }, streamStdoutStderr: true, processId: "p1" });
    });
  });

  it("errors with the connection's error when it closes while the command runs, and sends nothing more", () => {
    ts.run(({ hot, cold, expectObservable }) => {
      const closed = new TransportClosedError({ reason: "closed by client", exitCode: null, signal: null, stderrTail: "" });
      const state = { closed: false };
      const answer = cold("---#", undefined, closed);
      const { ctx, sent } = marbleContext(ts, hot("-a-|", { a: delta("x") }), { "command/exec": answer }, state);
      ts.schedule(() => (state.closed = true), 3);
      expectObservable(exec$(ctx, ["sleep", "9"])).toBe("-a-#", { a: chunk("x") }, closed);
      ts.flush();
      expect(sent.map((s) => s.method)).toEqual(["command/exec"]);
    });
  });

  it("errors when a reconnecting connection drops (the server ended the process with it)", () => {
    ts.run(({ hot, expectObservable }) => {
      const lost = new ConnectionLostError("command/exec");
      const wire = hot<Notification>("--#", undefined, lost);
      const { ctx } = marbleContext(ts, wire, { "command/exec": NEVER });
      expectObservable(exec$(ctx, ["sleep", "9"])).toBe("--#", undefined, lost);
    });
  });

  it("makes each subscription its own process", () => {
    ts.run(({ hot, cold }) => {
      const { ctx, sent } = marbleContext(ts, hot<Notification>("-"), { "command/exec": of(exitAnswer(0)) });
      const cmd$ = exec$(ctx, ["date"]);
      cmd$.subscribe();
      cmd$.subscribe();
      ts.flush();
      expect(sent.map((s) => s.params["processId"])).toEqual(["p1", "p2"]);
      void cold;
    });
  });
});
