// Helpers of the fault-injection suite: stand-in paths, leak probes, a forced GC.
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import vm from "node:vm";
import type { Subject } from "rxjs";
import type { RpcConnection } from "../../src/rpc/RpcConnection.js";

const standIns = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "stand-ins");

/** The path of a stand-in script under spec/fixtures/stand-ins (executable, `#!/usr/bin/env node`). */
export function standIn(name: string): string {
  return path.join(standIns, `${name}.mjs`);
}

/** How many observers each of the connection's hot subjects has: a leak probe. */
export interface ObserverCounts {
  readonly notifications: number;
  readonly serverRequests: number;
  readonly protocolErrors: number;
}

/**
 * Counts the subscribers of the connection's three hot subjects. Reads private fields on purpose:
 * a subscription leaked by the facade is visible only there.
 *
 * @param rpc the connection under test
 * @returns the observer count of each subject
 */
export function observerCounts(rpc: RpcConnection): ObserverCounts {
  const count = (subject: Subject<unknown>): number => subject.observers.length;
  return {
    notifications: rpc["notificationsSubject"].observers.length,
    serverRequests: count(rpc["serverRequestsSubject"] as Subject<unknown>),
    protocolErrors: count(rpc["protocolErrorsSubject"] as Subject<unknown>),
  };
}

let collect: (() => void) | undefined;

/** A full, synchronous garbage collection (exposes V8's `gc` once, without a node flag). */
export function gc(): void {
  if (collect === undefined) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}

/** Milliseconds since `start` (a `performance.now()` value). */
export function since(start: number): number {
  return performance.now() - start;
}
