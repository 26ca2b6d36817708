import { existsSync } from "node:fs";
import path from "node:path";
import { lastValueFrom, toArray } from "rxjs";
import { tap } from "rxjs";
import { ApprovalMode, Sandbox, type ApprovalHandler, type ServerRequestEvent, type Transport } from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { output, reply } from "../../src/testing/index.js";
import { useHarness, type Harness } from "./harness.js";

let h: Harness;
useHarness((harness) => (h = harness));

/** Every command that is not known-safe goes to the client for approval. */
const askEveryCommand = { approvalPolicy: "untrusted", approvalsReviewer: "user" } as const;

/** The fake model asks the shell tool to create `file`, then answers "done". */
function scriptTouch(file: string): void {
  h.fake.enqueue(reply.stream([output.execCommand(`touch ${file}`)]), reply.text("done"));
}

function commandItem(items: readonly { type: string }[]): { status?: string; command?: string } | undefined {
  return items.find((i) => i.type === "commandExecution") as { status?: string; command?: string } | undefined;
}

describe("approvals: a real round-trip through the app-server", () => {
  it("approve → the command runs; the request and its answer show on serverRequests$ and on the turn", async () => {
    const asked: string[] = [];
    const approvals: ApprovalHandler = {
      "item/commandExecution/requestApproval": (params) => {
        asked.push(params.command ?? "");
        return Promise.resolve({ decision: "accept" });
      },
    };
    const codex = await h.start({ approvals });
    const seen: ServerRequestEvent[] = [];
    codex.serverRequests$.subscribe((e) => seen.push(e));
    const file = path.join(h.cwd, "approved.txt");
    scriptTouch(file);
    const thread = await codex.threadStart({ cwd: h.cwd, ...askEveryCommand, sandbox: Sandbox.workspace });
    const turn = await thread.turn("create the file");
    const result = await turn.run();
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain("touch");
    expect(existsSync(file)).toBe(true);
    expect(commandItem(result.items)?.status).toBe("completed");
    expect(result.finalResponse).toBe("done");
    expect(seen.map((e) => [e.request.method, e.response])).toEqual([["item/commandExecution/requestApproval", { result: { decision: "accept" } }]]);
    const onTurn = await lastValueFrom(turn.serverRequests$.pipe(toArray()));
    expect(onTurn).toEqual(seen);
  });

  it("decline → the command does not run and the turn goes on", async () => {
    const codex = await h.start({ approvals: { "item/commandExecution/requestApproval": () => ({ decision: "decline" }) } });
    const file = path.join(h.cwd, "declined.txt");
    scriptTouch(file);
    const thread = await codex.threadStart({ cwd: h.cwd, ...askEveryCommand });
    const result = await thread.run("try to create the file");
    expect(existsSync(file)).toBe(false);
    expect(commandItem(result.items)?.status).toBe("declined");
    expect(result.status).toBe("completed");
    expect(result.finalResponse).toBe("done");
  });

  it("no handler → -32601, a throwing handler → -32603; the server never waits and the turn ends", async () => {
    const none = await h.start();
    const noneSeen: ServerRequestEvent[] = [];
    none.serverRequests$.subscribe((e) => noneSeen.push(e));
    scriptTouch(path.join(h.cwd, "unhandled.txt"));
    const t1 = await none.threadStart({ cwd: h.cwd, ...askEveryCommand });
    const r1 = await t1.run("no handler");
    expect(noneSeen[0]?.response).toMatchObject({ error: { code: -32601 } });
    expect(commandItem(r1.items)?.status).toBe("failed");

    const throwing = await h.start({
      approvals: {
        "item/commandExecution/requestApproval": () => {
          throw new Error("approval UI crashed");
        },
      },
    });
    const thrownSeen: ServerRequestEvent[] = [];
    throwing.serverRequests$.subscribe((e) => thrownSeen.push(e));
    scriptTouch(path.join(h.cwd, "thrown.txt"));
    const t2 = await throwing.threadStart({ cwd: h.cwd, ...askEveryCommand });
    const r2 = await t2.run("throwing handler");
    expect(thrownSeen[0]?.response).toMatchObject({ error: { code: -32603, message: expect.stringContaining("approval UI crashed") } });
    expect(r2.status).toBe("completed");
    expect(existsSync(path.join(h.cwd, "thrown.txt"))).toBe(false);
  });

  it("denyAll never asks and never runs what needs approval", async () => {
    const asked: string[] = [];
    const codex = await h.start({ approvals: { "item/commandExecution/requestApproval": (p) => (asked.push(p.command ?? ""), { decision: "accept" }) } });
    const file = path.join(h.cwd, "denied.txt");
    scriptTouch(file);
    const thread = await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.denyAll, sandbox: Sandbox.readOnly });
    expect(thread.info.id).toBeTruthy();
    const result = await thread.run("create it anyway");
    expect(asked).toEqual([]);
    expect(existsSync(file)).toBe(false);
    expect(result.status).toBe("completed");
  });
});

describe("presets reach the server", () => {
  /** The real stdio transport, with every line both ways recorded. */
  function spyTransport(): { transport: Transport; sent: Record<string, unknown>[]; received: Record<string, unknown>[] } {
    const inner = new StdioTransport({ env: h.home.env });
    const sent: Record<string, unknown>[] = [];
    const received: Record<string, unknown>[] = [];
    const transport: Transport = {
      messages$: inner.messages$.pipe(tap((line) => received.push(JSON.parse(line) as Record<string, unknown>))),
      connect: () => inner.connect(),
      send: (message) => {
        sent.push(JSON.parse(message) as Record<string, unknown>);
        inner.send(message);
      },
      close: () => inner.close(),
      get closed() {
        return inner.closed;
      },
      stderrTail: () => inner.stderrTail(),
    };
    return { transport, sent, received };
  }

  it("thread presets become approvalPolicy, approvalsReviewer and sandbox on the wire, and the server applies them", async () => {
    const { transport, sent, received } = spyTransport();
    const codex = await h.start({ transport });
    const responseTo = (method: string): Record<string, unknown> | undefined => {
      const request = [...sent].reverse().find((m) => m["method"] === method);
      return received.find((m) => m["id"] === request?.["id"] && "result" in m)?.["result"] as Record<string, unknown> | undefined;
    };
    await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.askUser, sandbox: Sandbox.workspace });
    expect(sent.find((m) => m["method"] === "thread/start")?.["params"]).toEqual({
      cwd: h.cwd,
      approvalPolicy: "on-request",
      approvalsReviewer: "user",
      sandbox: "workspace-write",
    });
    expect(responseTo("thread/start")).toMatchObject({ approvalPolicy: "on-request", approvalsReviewer: "user", sandbox: { type: "workspaceWrite" } });

    await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox });
    expect(responseTo("thread/start")).toMatchObject({ approvalPolicy: "never", sandbox: { type: "dangerFullAccess" } });

    await codex.threadStart({ cwd: h.cwd, approvalMode: ApprovalMode.autoReview });
    expect(responseTo("thread/start")).toMatchObject({ approvalPolicy: "on-request", approvalsReviewer: "auto_review" });
  });

  it("turn presets become approvalPolicy and sandboxPolicy on turn/start", async () => {
    const { transport, sent } = spyTransport();
    const codex = await h.start({ transport });
    const thread = await codex.threadStart({ cwd: h.cwd });
    await thread.run("go", { approvalMode: ApprovalMode.denyAll, sandbox: Sandbox.readOnly });
    expect(sent.find((m) => m["method"] === "turn/start")?.["params"]).toMatchObject({
      approvalPolicy: "never",
      approvalsReviewer: null,
      sandboxPolicy: { type: "readOnly" },
    });
  });
});
