import type { Subscriber } from "rxjs";
import type { Notification } from "../protocol/notifications.js";
import { ReplayLog } from "../streams/ReplayLog.js";

/**
 * Consecutive streamed deltas of one item, kept as one entry: the first notification whole, then
 * only the `delta` string of each later one.
 */
class DeltaRun {
  /**
   * @param first the run's first notification, replayed as it is
   * @param deltas the `delta` of every notification of the run, the first's included
   */
  constructor(
    readonly first: Notification,
    readonly deltas: string[],
  ) {}
}

/** What the log keeps: notifications as they came, or runs of deltas. */
type Kept = Notification | DeltaRun;

/** The `delta` of a streamed delta notification (`params.delta`, a string), else undefined. */
function deltaOf(n: Notification): string | undefined {
  const params = n.params as Record<string, unknown> | null | undefined;
  if (params === null || typeof params !== "object") return undefined;
  const delta = params["delta"];
  return typeof delta === "string" ? delta : undefined;
}

function keyCount(o: object): number {
  let n = 0;
  for (const _ in o) n += 1;
  return n;
}

/**
 * @internal A replay of one turn's notifications that keeps streamed deltas compactly. A
 * notification whose only difference from the one before is its `params.delta` (same method,
 * same thread, turn and item ids, same other fields: the thousands of `item/agentMessage/delta` of a
 * long answer) joins that one's run, which keeps just the delta string; a late subscriber gets
 * the run's notifications rebuilt, equal to the ones received (the first of each run is the one
 * received). A long answer's replay then costs a string per delta, not a notification object.
 *
 * The run being extended is described by fields of the log itself (its method, ids and key
 * counts), so that a delta touches the log and the run's array of deltas, as a plain array append
 * would: with a thousand turns open, every other object a notification touches is a likely cache
 * miss. Ids are compared by pointer first: the router swaps each for the turn's own copy
 * (`intern.ts`).
 */
export class NotificationLog extends ReplayLog<Notification> {
  private readonly kept: Kept[] = [];
  /** The last entry, when it is a delta (a run, or a notification a second delta makes one). */
  private runFirst: Notification | undefined;
  private run: DeltaRun | undefined;
  private runMethod = "";
  private runItemId: unknown;
  private runThreadId: unknown;
  private runTurnId: unknown;
  private runWrapperKeys = 0;
  private runParamKeys = 0;

  /** Keeps a notification for later subscribers: a delta joins the run it continues. */
  protected override keep(n: Notification): void {
    const delta = deltaOf(n);
    if (delta !== undefined && this.runFirst !== undefined && this.continues(n)) {
      if (this.run === undefined) {
        const first = this.runFirst;
        this.run = new DeltaRun(first, [deltaOf(first) as string, delta]);
        this.kept[this.kept.length - 1] = this.run;
      } else this.run.deltas.push(delta);
      return;
    }
    this.kept.push(n);
    this.run = undefined;
    if (delta === undefined) {
      this.runFirst = undefined;
      return;
    }
    const params = n.params as Record<string, unknown>;
    this.runFirst = n;
    this.runMethod = n.method;
    this.runItemId = params["itemId"];
    this.runThreadId = params["threadId"];
    this.runTurnId = params["turnId"];
    this.runWrapperKeys = keyCount(n);
    this.runParamKeys = keyCount(params);
  }

  /**
   * Replays what is kept, runs rebuilt, reading the lengths as it goes: what a subscriber's own
   * `next` pushes is replayed to it too, also when that push turns the notification just
   * delivered into a run.
   */
  protected override replayKept(subscriber: Subscriber<Notification>): boolean {
    const kept = this.kept;
    for (let i = 0; i < kept.length; i += 1) {
      if (subscriber.closed) return false;
      let entry = kept[i] as Kept;
      let from = 0;
      if (!(entry instanceof DeltaRun)) {
        subscriber.next(entry);
        const now = kept[i] as Kept;
        if (!(now instanceof DeltaRun)) continue;
        entry = now;
        from = 1;
      }
      const { first, deltas } = entry;
      const params = first.params as Record<string, unknown>;
      for (let j = from; j < deltas.length; j += 1) {
        if (subscriber.closed) return false;
        subscriber.next(j === 0 ? first : ({ ...first, params: { ...params, delta: deltas[j] } } as Notification));
      }
    }
    return !subscriber.closed;
  }

  /**
   * True when `n` differs from the run's first notification in `params.delta` only: as many keys
   * (wrapper and params), and under each the same value (`===`). A value JSON.parse made is never
   * `undefined`, so a key the first lacks never compares equal; nested objects never do either
   * (two parses make two objects), so a delta with anything but primitives beside it starts a
   * run of its own. No allocation.
   */
  private continues(n: Notification): boolean {
    if (n.method !== this.runMethod) return false;
    const first = this.runFirst as Notification;
    let keys = 0;
    for (const key in n) {
      keys += 1;
      if (key !== "method" && key !== "params" && (n as unknown as Record<string, unknown>)[key] !== (first as unknown as Record<string, unknown>)[key]) return false;
    }
    if (keys !== this.runWrapperKeys) return false;
    const params = n.params as Record<string, unknown>;
    keys = 0;
    for (const key in params) {
      keys += 1;
      const value = params[key];
      switch (key) {
        case "delta":
          break;
        case "itemId":
          if (value !== this.runItemId) return false;
          break;
        case "threadId":
          if (value !== this.runThreadId) return false;
          break;
        case "turnId":
          if (value !== this.runTurnId) return false;
          break;
        default:
          if (value !== (first.params as Record<string, unknown>)[key]) return false;
      }
    }
    return keys === this.runParamKeys;
  }
}
