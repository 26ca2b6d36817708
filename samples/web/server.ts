// A browser progress UI: a tiny node:http server that starts a turn per `GET /turn?prompt=…` and
// forwards its `turn.progress$` to the page as Server-Sent Events. The page (index.html, plain
// HTML and inline JS, no build step) renders the live text, the items, the usage and the status.
//   npx tsx samples/web/server.ts              # prints the URL (a free port on 127.0.0.1)
//   npx tsx samples/web/server.ts --port 8080
// A browser that goes away only unsubscribes: the turn goes on and completes on the server
// (subscribing to a TurnHandle and unsubscribing from it never cancels anything).
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { auditTime, map } from "rxjs";
import { startSampleCodex } from "../support/sampleCodex.js";
import { toProgressView } from "../support/progressView.js";
import { useScriptedTurn } from "../support/scriptedTurn.js";

/** Options of {@link startWebSample}. */
export interface WebSampleOptions {
  /** TCP port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  readonly host?: string;
  /** Where the server's log lines go; default stderr. */
  readonly log?: (line: string) => void;
}

/** A running web sample; `await using` closes the HTTP server and the app-server. */
export interface WebSample extends AsyncDisposable {
  /** The page's URL, e.g. `http://127.0.0.1:40123/`. */
  readonly url: string;
  /** "fake" when the embedded fake model answers (no credentials, or CODEX_RX_FAKE=1). */
  readonly model: "real" | "fake";
  close(): Promise<void>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const DEFAULT_PROMPT = "What is in the samples folder?";

/**
 * Starts the app-server (real model with credentials, else the fake one with a scripted turn)
 * and the HTTP server: `GET /` is the page, `GET /turn?prompt=…` one turn as Server-Sent Events
 * (`turn` once, `progress` per snapshot at most every 50 ms, then `done`, or `failure`).
 *
 * @param options port, host and log
 * @returns the URL and a close function
 * @example
 * ```ts
 * await using web = await startWebSample({ port: 0 });
 * console.log(web.url);
 * ```
 */
export async function startWebSample(options: WebSampleOptions = {}): Promise<WebSample> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const sample = await startSampleCodex();
  useScriptedTurn(sample.fake); // fake model only: a commentary, a shell command, then the answer
  const { codex } = sample;

  const page = async (res: http.ServerResponse): Promise<void> => {
    const html = await readFile(path.join(here, "index.html"));
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(html);
  };

  const turnStream = async (url: URL, res: http.ServerResponse): Promise<void> => {
    const prompt = url.searchParams.get("prompt")?.trim() || DEFAULT_PROMPT;
    res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive" });
    res.flushHeaders();
    const send = (event: string, data: unknown): void => {
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    let gone = false;
    res.on("close", () => (gone = true));
    try {
      const thread = await codex.threadStart({ cwd: process.cwd() });
      const turn = await thread.turn(prompt);
      log(`turn ${turn.id} started: ${JSON.stringify(prompt)}`);
      // The server's own view of the turn, independent of any browser: it always runs to the end.
      turn.run().then(
        (result) => log(`turn ${result.id} ${result.status} in ${result.durationMs ?? "?"} ms`),
        (error: unknown) => log(`turn ${turn.id} failed: ${String(error)}`),
      );
      if (gone) return;
      send("turn", { turnId: turn.id, threadId: thread.id, prompt, model: sample.model });
      const subscription = turn.progress$.pipe(map(toProgressView), auditTime(50)).subscribe({
        next: (view) => send("progress", view),
        error: (error: unknown) => {
          send("failure", { message: String(error) });
          res.end();
        },
        complete: () => {
          send("done", {});
          res.end();
        },
      });
      res.on("close", () => {
        if (subscription.closed) return;
        subscription.unsubscribe(); // only this page's view ends; the turn does not
        log(`turn ${turn.id}: the browser went away, the turn goes on`);
      });
    } catch (error) {
      if (gone) return;
      send("failure", { message: String(error) });
      res.end();
    }
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const route =
      req.method !== "GET"
        ? undefined
        : url.pathname === "/" || url.pathname === "/index.html"
          ? page(res)
          : url.pathname === "/turn"
            ? turnStream(url, res)
            : undefined;
    if (route === undefined) {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    route.catch((error: unknown) => {
      log(`${req.url ?? ""}: ${String(error)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await sample.close();
  };
  return { url: `http://${address}:${port}/`, model: sample.model, close, [Symbol.asyncDispose]: close };
}

function portArgument(argv: readonly string[]): number {
  const index = argv.findIndex((arg) => arg === "--port" || arg.startsWith("--port="));
  if (index < 0) return 0;
  const arg = argv[index] ?? "";
  const value = Number(arg.includes("=") ? arg.slice("--port=".length) : argv[index + 1]);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new RangeError(`--port: not a port: ${arg} ${argv[index + 1] ?? ""}`);
  return value;
}

// Run as a program (not imported, as scripts/screenshot-web.ts does).
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const web = await startWebSample({ port: portArgument(process.argv.slice(2)) });
  console.log(`codex-rx web sample (${web.model} model): open ${web.url}  (Ctrl-C stops)`);
  const stop = (): void => {
    web.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
