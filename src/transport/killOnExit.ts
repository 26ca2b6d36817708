const kills = new Map<object, () => void>();
let installed = false;

/**
 * Runs `kill` if the Node process exits while `owner` is still registered: the processes we start
 * go with us, so none is left orphaned. `exit` handlers must be synchronous, so `kill` should send
 * a signal, not wait.
 *
 * @param owner the key to register under (e.g. the ChildProcess)
 * @param kill what to do at exit
 * @returns a function that unregisters (call it once the process is gone)
 * @example
 * ```ts
 * const forget = killOnExit(child, () => child.kill("SIGKILL"));
 * child.once("exit", forget);
 * ```
 */
export function killOnExit(owner: object, kill: () => void): () => void {
  if (!installed) {
    installed = true;
    process.on("exit", () => {
      for (const k of kills.values()) k();
    });
  }
  kills.set(owner, kill);
  return () => {
    kills.delete(owner);
  };
}
