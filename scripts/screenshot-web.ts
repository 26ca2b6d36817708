// Checks that the browser progress UI (samples/web/) renders, in a real headless Chromium:
// starts the web sample on the fake model, opens the page through the DevTools protocol, waits
// until the page marks the turn done (`body[data-done]`), checks the DOM shows the final answer
// and the items, and saves a screenshot. Not part of `npm test`: CI has no Chromium.
//   npm run screenshot:web                      # → docs/web-sample.png
//   npm run screenshot:web -- --out /tmp/x.png
// Exit codes: 0 rendered; 1 the page did not render the turn; 2 Chromium is missing.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import { z } from "zod";
import { SCRIPTED_FINAL_ANSWER } from "../samples/support/scriptedTurn.js";
import { startWebSample } from "../samples/web/server.js";

const WIDTH = 1200;
const HEIGHT = 800;
const TURN_TIMEOUT_MS = 90_000;
const PROMPT = "What is in the samples folder?";

/** Chromium from $CHROMIUM_BIN, else the first of the usual names found on PATH. */
function findChromium(): string | undefined {
  const fromEnv = process.env["CHROMIUM_BIN"] ?? process.env["CHROME_BIN"];
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  const dirs = (process.env["PATH"] ?? "").split(path.delimiter).filter(Boolean);
  for (const name of ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
  }
  return undefined;
}

function outArgument(argv: readonly string[]): string {
  const index = argv.indexOf("--out");
  return path.resolve(index >= 0 && argv[index + 1] !== undefined ? argv[index + 1] : "docs/web-sample.png");
}

const CdpMessage = z.object({
  id: z.number().optional(),
  result: z.unknown().optional(),
  error: z.object({ message: z.string() }).optional(),
});
const EvaluateResult = z.object({
  result: z.object({ value: z.unknown().optional() }),
  exceptionDetails: z.object({ text: z.string() }).optional(),
});
const PageTargets = z.array(z.object({ type: z.string(), webSocketDebuggerUrl: z.string().optional() }));
const Screenshot = z.object({ data: z.string() });
const Rendered = z.object({
  done: z.string().nullable(),
  status: z.string(),
  text: z.string(),
  items: z.array(z.string()),
});

/** The few DevTools protocol calls this script needs, over one page target's WebSocket. */
class DevToolsPage {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const message = CdpMessage.safeParse(JSON.parse(String(data)));
      if (!message.success || message.data.id === undefined) return; // events: not needed here
      const waiter = this.pending.get(message.data.id);
      this.pending.delete(message.data.id);
      if (message.data.error !== undefined) waiter?.reject(new Error(message.data.error.message));
      else waiter?.resolve(message.data.result);
    });
    socket.on("close", () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error("DevTools connection closed"));
      this.pending.clear();
    });
  }

  /** Connects to the first page target of the browser whose DevTools server is at `browserWsUrl`. */
  static async connect(browserWsUrl: string): Promise<DevToolsPage> {
    const { host } = new URL(browserWsUrl);
    const targets = PageTargets.parse(await (await fetch(`http://${host}/json/list`)).json());
    const pageUrl = targets.find((t) => t.type === "page")?.webSocketDebuggerUrl;
    if (pageUrl === undefined) throw new Error("Chromium has no page target");
    const socket = new WebSocket(pageUrl, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    return new DevToolsPage(socket);
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Evaluates an expression in the page and returns its value (JSON-serializable results only). */
  async evaluate(expression: string): Promise<unknown> {
    const answer = EvaluateResult.parse(await this.send("Runtime.evaluate", { expression, returnByValue: true }));
    if (answer.exceptionDetails !== undefined) throw new Error(`in the page: ${answer.exceptionDetails.text}`);
    return answer.result.value;
  }

  close(): void {
    this.socket.close();
  }
}

/** Starts headless Chromium with a DevTools port; resolves with its browser WebSocket URL. */
function launchChromium(executable: string, userDataDir: string): { child: ChildProcess; wsUrl: Promise<string>; stderr: () => string } {
  const child = spawn(
    executable,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--hide-scrollbars",
      `--user-data-dir=${userDataDir}`,
      `--window-size=${WIDTH},${HEIGHT}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  const wsUrl = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("Chromium did not open its DevTools port within 20 s")), 20_000);
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`Chromium exited (${code ?? signal ?? "?"}) before opening its DevTools port`));
    });
  });
  return { child, wsUrl, stderr: () => stderr };
}

async function stopChromium(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Renders the web sample in headless Chromium and writes the screenshot.
 *
 * @returns the process exit code: 0 rendered, 1 not rendered, 2 no Chromium
 */
async function main(): Promise<number> {
  const chromium = findChromium();
  if (chromium === undefined) {
    process.stderr.write(
      "screenshot:web needs Chromium and found none (tried $CHROMIUM_BIN, $CHROME_BIN, chromium, chromium-browser, google-chrome on PATH).\n" +
        "Install it, e.g. on Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium\n" +
        "or point CHROMIUM_BIN at a Chromium or Chrome binary.\n",
    );
    return 2;
  }
  const out = outArgument(process.argv.slice(2));
  process.env["CODEX_RX_FAKE"] = "1"; // the scripted turn, so the check knows the final text
  const log: string[] = [];
  await using web = await startWebSample({ log: (line) => log.push(line) });
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), "codex-rx-chromium-"));
  const browser = launchChromium(chromium, userDataDir);
  let page: DevToolsPage | undefined;
  try {
    page = await DevToolsPage.connect(await browser.wsUrl);
    await page.send("Emulation.setDeviceMetricsOverride", { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false });
    const url = `${web.url}?prompt=${encodeURIComponent(PROMPT)}`;
    await page.send("Page.navigate", { url });
    process.stdout.write(`opened ${url} in ${chromium}\n`);

    const deadline = Date.now() + TURN_TIMEOUT_MS;
    // Poll until the page marks the turn done; note whether it was ever seen mid-turn (a running item).
    let sawRunning = false;
    while (Date.now() < deadline) {
      const poll = z
        .tuple([z.string().nullable(), z.boolean()])
        .parse(await page.evaluate(`[document.body?.dataset.done ?? null, document.querySelector("#items li.running") !== null]`));
      sawRunning ||= poll[1];
      if (poll[0] !== null) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const rendered = Rendered.parse(
      await page.evaluate(`({
        done: document.body.dataset.done ?? null,
        status: document.getElementById("state").textContent,
        text: document.getElementById("text").textContent,
        items: [...document.querySelectorAll("#items li")].map((li) => li.className + " " + li.querySelector(".type").textContent),
      })`),
    );
    const problems: string[] = [];
    if (rendered.done !== "completed") problems.push(`the page's turn did not complete (data-done: ${rendered.done ?? "not set"}, status: ${rendered.status})`);
    if (!rendered.text.includes(SCRIPTED_FINAL_ANSWER)) problems.push(`the final answer is not on the page (text: ${JSON.stringify(rendered.text.slice(0, 200))})`);
    if (!rendered.items.includes("done commandExecution")) problems.push(`no finished commandExecution item (items: ${rendered.items.join(", ")})`);

    const shot = Screenshot.parse(await page.send("Page.captureScreenshot", { format: "png" }));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, Buffer.from(shot.data, "base64"));
    process.stdout.write(`screenshot: ${path.relative(process.cwd(), out)} (${WIDTH}×${HEIGHT})\n`);
    process.stdout.write(
      `page: ${rendered.status}, ${rendered.items.length} items (${rendered.items.join(", ")}), ${rendered.text.length} chars of text; ` +
        `a running item was ${sawRunning ? "seen" : "not seen"} while polling\n`,
    );
    if (problems.length > 0) {
      process.stderr.write(`the page did not render the turn:\n  ${problems.join("\n  ")}\nserver log:\n  ${log.join("\n  ")}\n`);
      return 1;
    }
    return 0;
  } catch (error) {
    process.stderr.write(`screenshot:web failed: ${error instanceof Error ? error.message : String(error)}\n`);
    const tail = browser.stderr().trim().split("\n").slice(-10).join("\n  ");
    if (tail) process.stderr.write(`Chromium's stderr (last lines):\n  ${tail}\n`);
    return 1;
  } finally {
    page?.close();
    await stopChromium(browser.child);
    await rm(userDataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
