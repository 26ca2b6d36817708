/**
 * The lower bound: `child_process` + `readline` + `JSON.parse`, no validation, no Observables.
 * Requests are correlated by id in a Map; a turn's notifications are routed by `params.threadId`
 * to the one turn running on that thread (registered before `turn/start` is sent, so nothing is
 * missed). It counts deltas and concatenates their text: the least a streaming client must do.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import type { BenchClient, BenchEnv, BenchThread, TurnOutcome } from "./types.js";

/** The wire, trusted as is: the raw client does no validation (that is the point). */
interface RawMessage {
  readonly id?: number | string;
  readonly method?: string;
  readonly params?: RawParams;
  readonly result?: unknown;
  readonly error?: { readonly message: string };
}

interface RawParams {
  readonly threadId?: string;
  readonly delta?: string;
  readonly item?: { readonly type: string; readonly text?: string };
  readonly turn?: { readonly status: string };
}

interface RawTurn {
  deltas: number;
  text: string;
  finalText: string;
  readonly resolve: (outcome: TurnOutcome) => void;
  readonly reject: (error: Error) => void;
}

interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
}

export class RawClient implements BenchClient {
  private child: ChildProcessWithoutNullStreams | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly turns = new Map<string, RawTurn>();
  private nextId = 1;

  constructor(private readonly env: BenchEnv) {}

  async start(): Promise<void> {
    const child = spawn(this.env.codexPath, ["app-server"], {
      env: { ...process.env, CODEX_HOME: this.env.codexHome },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child = child;
    child.stderr.resume();
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on("line", (line) => this.receive(line));
    child.once("exit", () => {
      const gone = new Error("app-server exited");
      for (const p of this.pending.values()) p.reject(gone);
      for (const t of this.turns.values()) t.reject(gone);
    });
    await this.request("initialize", { clientInfo: { name: "bench_raw", version: "0" }, capabilities: { experimentalApi: false } });
    this.send({ method: "initialized" });
  }

  async newThread(): Promise<BenchThread> {
    const result = (await this.request("thread/start", {})) as { thread: { id: string } };
    const threadId = result.thread.id;
    return { run: (prompt) => this.runTurn(threadId, prompt) };
  }

  async close(): Promise<void> {
    const child = this.child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.stdin.end();
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    await exited;
    clearTimeout(timer);
  }

  private runTurn(threadId: string, prompt: string): Promise<TurnOutcome> {
    const done = new Promise<TurnOutcome>((resolve, reject) => {
      this.turns.set(threadId, { deltas: 0, text: "", finalText: "", resolve, reject });
    });
    this.request("turn/start", { threadId, input: [{ type: "text", text: prompt, text_elements: [] }] }).catch((error: Error) => {
      this.turns.get(threadId)?.reject(error);
      this.turns.delete(threadId);
    });
    return done;
  }

  private request(method: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ id, method, params });
    });
  }

  private send(message: object): void {
    this.child?.stdin.write(`${JSON.stringify(message)}\n`);
  }

  private receive(line: string): void {
    const message = JSON.parse(line) as RawMessage;
    const { id, method } = message;
    if (method === undefined) {
      if (typeof id !== "number") return;
      const pending = this.pending.get(id);
      if (pending === undefined) return;
      this.pending.delete(id);
      if (message.error !== undefined) pending.reject(new Error(message.error.message));
      else pending.resolve(message.result);
      return;
    }
    if (id !== undefined) {
      // A server request: nothing is expected with approval_policy never, but never leave one unanswered.
      this.send({ id, error: { code: -32601, message: "raw bench client answers no server requests" } });
      return;
    }
    const threadId = message.params?.threadId;
    if (threadId === undefined) return;
    const turn = this.turns.get(threadId);
    if (turn === undefined) return;
    if (method === "item/agentMessage/delta") {
      turn.deltas += 1;
      turn.text += message.params?.delta ?? "";
    } else if (method === "item/completed" && message.params?.item?.type === "agentMessage") {
      turn.finalText = message.params.item.text ?? "";
    } else if (method === "turn/completed") {
      this.turns.delete(threadId);
      const status = message.params?.turn?.status;
      if (status === "completed") turn.resolve({ deltas: turn.deltas, text: turn.finalText });
      else turn.reject(new Error(`turn ended ${String(status)}`));
    }
  }
}
