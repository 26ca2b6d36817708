// Writing Server-Sent Events to an HTTP response the way the Responses API streams them:
// batched, respecting backpressure, cut short when the client goes away.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResponsesStreamEvent, StreamStep } from "./replyTypes.js";

const FLUSH_BYTES = 256 * 1024;

/** One SSE frame: the event's type as `event:`, the event as `data:`. */
function sseFrame(event: ResponsesStreamEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** The whole body of a request, as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Writes `text`, waiting for `drain` when the socket buffer is full (or until aborted). */
function write(res: ServerResponse, text: string, signal: AbortSignal): Promise<void> {
  if (res.write(text) || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      res.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.on("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** Writes steps, batching every run of zero-delay events into large writes. */
export async function writeSteps(res: ServerResponse, steps: readonly StreamStep[], signal: AbortSignal): Promise<void> {
  let buffer: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const text = buffer.join("");
    buffer = [];
    size = 0;
    await write(res, text, signal);
  };
  for (const step of steps) {
    if (signal.aborted) return;
    if (step.delayMs > 0) {
      await flush();
      await sleep(step.delayMs, signal);
      if (signal.aborted) return;
    }
    for (const event of step.events) {
      const frame = sseFrame(event);
      buffer.push(frame);
      size += frame.length;
    }
    if (size >= FLUSH_BYTES) await flush();
  }
  await flush();
}

export function waitForAbort(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** A signal that aborts when the response closes. */
export function abortOnClose(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  // 'close' also fires after a normal end; aborting then is harmless.
  res.on("close", () => controller.abort());
  return controller.signal;
}
