import { execFileSync } from "node:child_process";
import { firstValueFrom, lastValueFrom, filter, share, Subject, take, takeUntil, timer, toArray } from "rxjs";
import { InvalidInputError, TransportClosedError, isExecExit, type Codex, type ExecChunk } from "../../src/index.js";
import { useHarness, type Harness } from "./harness.js";

// command/exec on the real app-server (APP-SERVER-NOTES, "Beyond the conversation").
describe("codex.exec / exec$ (real app-server)", () => {
  let h: Harness;
  let codex: Codex;
  useHarness((harness, first) => {
    h = harness;
    codex = first as Codex;
  }, { startClient: true });

  it("runs a command: streamed output per stream, a non-zero exit as data, split UTF-8 decoded", async () => {
    const result = await codex.exec(["sh", "-c", "printf 'h\\303'; sleep 0.2; printf '\\251llo'; echo err >&2; exit 3"], { cwd: h.cwd });
    expect(result).toEqual({ exitCode: 3, stdout: "héllo", stderr: "err\n" });
  });

  it("writes stdin as the Observable emits and closes it when it completes", async () => {
    const stdin = new Subject<string>();
    const out = lastValueFrom(codex.exec$(["cat"], { stdin }).pipe(toArray()));
    stdin.next("one ");
    stdin.next("two");
    stdin.complete();
    const events = await out;
    expect(events.filter((e): e is ExecChunk => !isExecExit(e)).map((e) => e.text).join("")).toBe("one two");
    expect(events.at(-1)).toEqual({ exitCode: 0 });
  });

  it("runs in a pty with an initial size and resizes it on resize$", async () => {
    const resize$ = new Subject<{ rows: number; cols: number }>();
    const stdin = new Subject<string>();
    const events$ = codex.exec$(["sh", "-c", "stty size; read x; stty size"], { tty: { size: { rows: 10, cols: 40 }, resize$ }, stdin }).pipe(share());
    const out = lastValueFrom(events$.pipe(toArray()));
    // Resize only once the first `stty size` has printed: a fixed wait raced a slow shell start.
    await firstValueFrom(events$.pipe(filter((e): e is ExecChunk => !isExecExit(e) && e.text.includes("\n"))));
    resize$.next({ rows: 20, cols: 100 });
    await new Promise((r) => setTimeout(r, 200));
    stdin.next("x\n");
    const text = (await out).filter((e): e is ExecChunk => !isExecExit(e)).map((e) => e.text).join("");
    expect(text).toContain("10 40");
    expect(text).toContain("20 100");
  });

  it("terminates the process when unsubscribed before the exit (takeUntil), even at once", async () => {
    const marker = uniqueSleep();
    const chunks = await lastValueFrom(codex.exec$(["sh", "-c", `echo ready; exec ${marker}`]).pipe(takeUntil(timer(800)), toArray()));
    expect(chunks.map((c) => (isExecExit(c) ? "exit" : c.text))).toEqual(["ready\n"]);
    // Unsubscribed in the same tick as subscribed: the terminate may reach the server before the process does.
    await waitFor(() => !running(marker));
    expect(running(marker)).toBe(false);
    const early = uniqueSleep();
    codex.exec$(early.split(" ")).subscribe().unsubscribe();
    await new Promise((r) => setTimeout(r, 1_000));
    expect(running(early)).toBe(false);
  });

  it("refuses an empty argv before anything is sent", async () => {
    await expect(codex.exec([])).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("streams past the default output cap with disableOutputCap and loses nothing", async () => {
    const bytes = 3 * 1024 * 1024;
    const events = await lastValueFrom(codex.exec$(["head", "-c", String(bytes), "/dev/zero"], { disableOutputCap: true }).pipe(toArray()));
    const total = events.reduce((n, e) => n + (isExecExit(e) ? 0 : e.bytes.length), 0);
    expect(total).toBe(bytes);
  });

  it("errors a running command with TransportClosedError when the client closes, and the process ends", async () => {
    const other = await h.start();
    const marker = uniqueSleep();
    const events = lastValueFrom(other.exec$(["sh", "-c", `echo up; exec ${marker}`]).pipe(toArray()));
    await firstValueFrom(other.notifications$.pipe(filter((n) => n.method === "command/exec/outputDelta"), take(1)));
    await other.close();
    await expect(events).rejects.toBeInstanceOf(TransportClosedError);
    await waitFor(() => !running(marker));
    expect(running(marker)).toBe(false);
  });
});

/** A `sleep` command line no other process has, to find it with pgrep. */
function uniqueSleep(): string {
  return `sleep 40.${String(process.pid).padStart(6, "0")}${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`;
}

/** Whether a process whose command line contains `marker` runs on this machine. */
function running(marker: string): boolean {
  try {
    return execFileSync("pgrep", ["-f", marker]).toString().trim() !== "";
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}
