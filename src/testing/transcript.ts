import { Observable, asyncScheduler, type SchedulerLike } from "rxjs";
import { serverNotificationSchemas } from "../protocol/generated/index.js";
import { schemaOf, whereInvalid } from "../protocol/validate.js";
import type { Notification } from "../protocol/notifications.js";

/** Options of {@link transcript$}. */
export interface TranscriptOptions {
  /**
   * `"recorded"` replays with the gaps between the lines' `emittedAtMs` (on `scheduler`, so in
   * virtual time under a `TestScheduler`); `"none"` (default) emits everything synchronously.
   */
  readonly timing?: "none" | "recorded";
  readonly scheduler?: SchedulerLike;
}

interface Line {
  readonly notification: Notification;
  readonly at: number | undefined;
}

/**
 * The notifications of a recorded app-server transcript (newline-delimited JSON-RPC, as the
 * server writes it; responses and requests are skipped), each validated against the pinned
 * protocol's schema, like `codex.notifications$` would deliver them.
 *
 * @param jsonl the transcript text
 * @returns the notifications in order
 * @throws {Error} naming the line when a notification does not match its schema
 * @example
 * ```ts
 * const events = transcriptNotifications(readFileSync("two-turns.jsonl", "utf8"));
 * ```
 */
export function transcriptNotifications(jsonl: string): Notification[] {
  return parseTranscript(jsonl).map((l) => l.notification);
}

/**
 * A cold Observable replaying a recorded transcript's notifications: a stand-in for
 * `codex.notifications$` in tests of your own operators and UIs.
 *
 * @param jsonl the transcript text
 * @param options `timing: "recorded"` to keep the recorded gaps (virtual time under a TestScheduler)
 * @returns a cold Observable of notifications, completing after the last
 * @example
 * ```ts
 * testScheduler.run(() => {
 *   const turns$ = transcript$(text, { timing: "recorded" }).pipe(ofMethod("turn/completed"));
 *   …
 * });
 * ```
 */
export function transcript$(jsonl: string, options: TranscriptOptions = {}): Observable<Notification> {
  const lines = parseTranscript(jsonl);
  return new Observable<Notification>((subscriber) => {
    if (options.timing !== "recorded") {
      for (const l of lines) {
        if (subscriber.closed) return;
        subscriber.next(l.notification);
      }
      subscriber.complete();
      return;
    }
    const scheduler = options.scheduler ?? asyncScheduler;
    const first = lines.find((l) => l.at !== undefined)?.at ?? 0;
    let last = 0;
    for (const l of lines) {
      last = Math.max(last, (l.at ?? first) - first);
      subscriber.add(scheduler.schedule(() => subscriber.next(l.notification), last));
    }
    subscriber.add(scheduler.schedule(() => subscriber.complete(), last));
  });
}

function parseTranscript(jsonl: string): Line[] {
  const out: Line[] = [];
  jsonl.split("\n").forEach((text, index) => {
    if (text.trim() === "") return;
    const message = JSON.parse(text) as { method?: unknown; id?: unknown; params?: unknown; emittedAtMs?: unknown };
    if (typeof message.method !== "string" || message.id !== undefined) return;
    const schema = schemaOf(serverNotificationSchemas, message.method);
    let params = message.params;
    if (schema !== undefined) {
      const parsed = schema.safeParse(params);
      if (!parsed.success) throw new Error(`transcript line ${index + 1}: invalid params for ${message.method}${whereInvalid(parsed.error)}`);
      params = parsed.data;
    }
    out.push({
      notification: { method: message.method, params } as Notification,
      at: typeof message.emittedAtMs === "number" ? message.emittedAtMs : undefined,
    });
  });
  return out;
}
