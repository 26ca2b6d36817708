/**
 * An in-process stand-in app-server for the bench's "scale" group: a {@link Transport} that answers
 * `initialize`, `thread/start` and `turn/start` with replies shaped like the 0.169.0 binary's
 * (copied from spec/fixtures/app-server-two-turns.jsonl), and lets the bench write notification
 * lines straight into the client. No process, no socket, no model: only the client's own work
 * (JSON.parse, classification, zod validation, routing, reduction, replay) is measured.
 *
 * Answers arrive on a microtask, as they would from a wire. `emit(line)` delivers synchronously,
 * so the bench can time a batch of lines with `process.cpuUsage()` around one loop.
 */
import { Subject } from "rxjs";
import type { Transport } from "../../src/transport/Transport.js";

const THREAD = {
  environments: [{ environmentId: "local", cwd: "/home/user/project", runtimeWorkspaceRoots: ["/home/user/project"] }],
  extra: null,
  forkedFromId: null,
  attachedToThreadId: null,
  parentThreadId: null,
  preview: "",
  ephemeral: false,
  section: null,
  sectionEnteredAt: null,
  projectId: null,
  historyMode: "paginated",
  modelProvider: "mock",
  model: "mock-model",
  reasoningEffort: null,
  createdAt: 1795526024,
  updatedAt: 1795526024,
  recencyAt: 1795526024,
  status: { type: "idle" },
  cwd: "/home/user/project",
  cliVersion: "0.169.0",
  originator: "bench",
  source: "vscode",
  canAcceptDirectInput: true,
  threadSource: null,
  agentNickname: null,
  agentRole: null,
  gitInfo: null,
  name: null,
  daybreakEnabled: null,
  turns: [],
};

/** A UUIDv7-shaped id, distinct per call (the bench needs many). */
function makeId(prefix: number, n: number): string {
  const hex = n.toString(16).padStart(12, "0");
  return `01a20db0-${prefix.toString(16).padStart(4, "0")}-7421-bf18-${hex}`;
}

export class StandInAppServer implements Transport {
  private readonly subject = new Subject<string>();
  readonly messages$ = this.subject.asObservable();
  closed = false;
  private threads = 0;
  private turns = 0;

  connect(): Promise<void> {
    return Promise.resolve();
  }

  send(message: string): void {
    if (this.closed) throw new Error("stand-in closed");
    const request = JSON.parse(message) as { id?: number; method: string; params?: { threadId?: string } };
    if (request.id === undefined) return;
    const id = request.id;
    const result = this.answer(request.method, request.params?.threadId);
    queueMicrotask(() => {
      if (!this.closed) this.subject.next(JSON.stringify(result === undefined ? { id, error: { code: -32601, message: "stand-in: unknown method" } } : { id, result }));
    });
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.subject.complete();
    }
    return Promise.resolve();
  }

  /** The server writes one line (synchronously delivered to the client). */
  emit(line: string): void {
    this.subject.next(line);
  }

  private answer(method: string, threadId: string | undefined): unknown {
    switch (method) {
      case "initialize":
        return { userAgent: "bench/0.169.0", codexHome: "/home/user/.codex", platformFamily: "unix", platformOs: "linux" };
      case "thread/start": {
        const id = makeId(1, ++this.threads);
        return {
          thread: { ...THREAD, id, sessionId: id, path: `/home/user/.codex/sessions/rollout-${id}.jsonl` },
          model: "mock-model",
          modelProvider: "mock",
          serviceTier: null,
          disabledPluginIds: [],
          cwd: "/home/user/project",
          runtimeWorkspaceRoots: ["/home/user/project"],
          instructionSources: [],
          approvalPolicy: "never",
          approvalsReviewer: "user",
          sandbox: { type: "readOnly", networkAccess: false },
          activePermissionProfile: null,
          reasoningEffort: null,
          multiAgentMode: "explicitRequestOnly",
        };
      }
      case "thread/goal/set":
        return { goal: { threadId, objective: "bench", status: "active", tokenBudget: null, tokensUsed: 0, timeUsedSeconds: 0, createdAt: 1795526024, updatedAt: 1795526024 } };
      case "turn/start": {
        const id = makeId(2, ++this.turns);
        void threadId;
        return { turn: { id, rootTurnId: id, items: [], itemsView: "notLoaded", status: "inProgress", error: null, startedAt: null, completedAt: null, durationMs: null } };
      }
      default:
        return undefined;
    }
  }
}

/** The lines of a turn, as the 0.169.0 server writes them. */
export const lines = {
  turnStarted: (threadId: string, turnId: string): string =>
    JSON.stringify({
      method: "turn/started",
      params: {
        threadId,
        turn: { id: turnId, rootTurnId: turnId, items: [], itemsView: "notLoaded", status: "inProgress", error: null, startedAt: 1795526024, completedAt: null, durationMs: null },
      },
      emittedAtMs: 1795526024611,
    }),
  agentStarted: (threadId: string, turnId: string): string =>
    JSON.stringify({
      method: "item/started",
      params: {
        item: { type: "agentMessage", moderation: null, id: `msg_${turnId}`, text: "", phase: null, memoryCitation: null, delivery: null, questions: null, startedAtMs: 1795526024699, completedAtMs: null },
        threadId,
        turnId,
        startedAtMs: 1795526024699,
      },
      emittedAtMs: 1795526024699,
    }),
  delta: (threadId: string, turnId: string): string =>
    JSON.stringify({ method: "item/agentMessage/delta", params: { threadId, turnId, itemId: `msg_${turnId}`, delta: "tok " }, emittedAtMs: 1795526024701 }),
  agentCompleted: (threadId: string, turnId: string, text: string): string =>
    JSON.stringify({
      method: "item/completed",
      params: {
        item: { type: "agentMessage", moderation: null, id: `msg_${turnId}`, text, phase: "final_answer", memoryCitation: null, delivery: null, questions: null, startedAtMs: 1795526024699, completedAtMs: 1795526024703 },
        threadId,
        turnId,
        completedAtMs: 1795526024703,
      },
      emittedAtMs: 1795526024703,
    }),
  turnCompleted: (threadId: string, turnId: string): string =>
    JSON.stringify({
      method: "turn/completed",
      params: {
        threadId,
        turn: { id: turnId, rootTurnId: turnId, items: [], itemsView: "summary", status: "completed", error: null, startedAt: 1795526024, completedAt: 1795526025, durationMs: 143 },
      },
      emittedAtMs: 1795526024705,
    }),
};
