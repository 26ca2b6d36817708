import { rmSync } from "node:fs";

const paths = new Set<string>();
let installed = false;
const signals: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

function removeAll(): void {
  for (const path of paths) {
    try {
      rmSync(path, { recursive: true, force: true, maxRetries: 3, retryDelay: 20 });
    } catch {
      // Best effort at exit: nothing else can be done about it now.
    }
  }
  paths.clear();
}

/** A signal that would end the process by default: clean up, then let it end the process as it would have. */
function onSignal(signal: NodeJS.Signals): void {
  // Only when nobody else handles the signal (then it would have killed us); an app with its own
  // handler (Ctrl-C interrupts a turn) keeps running, and its homes go at exit.
  if (process.listenerCount(signal) > 1) return;
  removeAll();
  process.removeListener(signal, onSignal);
  process.kill(process.pid, signal);
}

/**
 * @internal Removes `path` (recursively) when the process exits, also on an uncaught error and on
 * SIGINT / SIGTERM / SIGHUP that nobody else handles, if it is still registered then.
 *
 * @param path a directory this process created
 * @returns a function that unregisters it (call it once the directory is removed)
 */
export function removeOnExit(path: string): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", removeAll);
    for (const signal of signals) process.on(signal, onSignal);
  }
  paths.add(path);
  return () => {
    paths.delete(path);
  };
}
