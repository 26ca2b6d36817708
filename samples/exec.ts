// A command run on the app-server's machine, under its sandbox, its output streamed to this
// terminal as it comes; Ctrl-C (or the 10 s timeout) terminates it there.
//   npx tsx samples/exec.ts                       runs a small demo script
//   npx tsx samples/exec.ts -- ls -la /           runs your command (argv, no shell)
import { timeout } from "rxjs";
import { isExecExit } from "codex-rx";
import { startSampleCodex } from "./support/sampleCodex.js";

const dashDash = process.argv.indexOf("--");
const argv =
  dashDash >= 0
    ? process.argv.slice(dashDash + 1)
    : ["sh", "-c", "for i in 1 2 3; do echo \"tick $i: héllo ✓\"; sleep 0.5; done; echo 'a warning' >&2; exit 3"];

// The command needs no model: a CODEX_HOME of your own, or the fake one, is the same here.
await using sample = await startSampleCodex();
const { codex } = sample;

const subscription = codex
  .exec$(argv, { cwd: process.cwd(), timeoutMs: 60_000 })
  .pipe(timeout({ first: 10_000, each: 10_000 })) // unsubscribing terminates the process
  .subscribe({
    next: (event) => {
      if (isExecExit(event)) console.log(`\n[exit ${event.exitCode}]`); // a non-zero exit is data
      else process[event.stream].write(event.text); // decoded per stream: split characters included
    },
    error: (error: unknown) => console.error("\n[failed]", error instanceof Error ? error.message : error),
  });

// Ctrl-C: unsubscribe, which sends command/exec/terminate; the process on the server ends.
process.once("SIGINT", () => subscription.unsubscribe());
await new Promise<void>((resolve) => subscription.add(resolve));
