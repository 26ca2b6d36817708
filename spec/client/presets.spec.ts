import type { ThreadResumeOptions, ThreadStartOptions } from "../../src/client/CodexOptions.js";
import { ApprovalMode, Sandbox, approvalWireFields, sandboxPolicyOf, type ApprovalMode as Mode } from "../../src/client/presets.js";
import { threadPresetParams, turnPresetParams, type TurnPresetFields } from "../../src/client/presetParams.js";
import { PresetConflictError } from "../../src/errors/index.js";
import { stableProtocol } from "../../src/protocol/stableProtocol.js";

describe("ApprovalMode", () => {
  it.each([
    [ApprovalMode.autoReview, { approvalPolicy: "on-request", approvalsReviewer: "auto_review" }],
    [ApprovalMode.askUser, { approvalPolicy: "on-request", approvalsReviewer: "user" }],
    [ApprovalMode.denyAll, { approvalPolicy: "never" }],
    [ApprovalMode.dangerouslyBypassApprovalsAndSandbox, { approvalPolicy: "never", sandbox: "danger-full-access" }],
  ])("maps %s to the Python SDK's wire fields", (mode, fields) => {
    expect(approvalWireFields(mode)).toEqual(fields);
  });

  it("rejects a value that is not a preset", () => {
    expect(() => approvalWireFields("yolo" as Mode)).toThrow(new TypeError('unknown ApprovalMode: "yolo"'));
  });
});

describe("Sandbox", () => {
  it("uses the wire's thread sandbox modes as values", () => {
    expect(Sandbox).toEqual({ readOnly: "read-only", workspace: "workspace-write", fullAccess: "danger-full-access" });
  });

  it.each([
    [Sandbox.readOnly, { type: "readOnly" }],
    [Sandbox.workspace, { type: "workspaceWrite" }],
    [Sandbox.fullAccess, { type: "dangerFullAccess" }],
  ])("turns %s into the turn's sandboxPolicy", (sandbox, policy) => {
    expect(sandboxPolicyOf(sandbox)).toEqual(policy);
  });
});

describe("threadPresetParams", () => {
  it("replaces a preset by its wire fields and keeps an explicit sandbox", () => {
    expect(threadPresetParams("thread/start", { approvalMode: ApprovalMode.denyAll, sandbox: Sandbox.readOnly, model: "m" }, stableProtocol)).toEqual({
      approvalPolicy: "never",
      approvalsReviewer: null,
      sandbox: "read-only",
      model: "m",
    });
  });

  it("opens the sandbox for bypass-everything only when no sandbox is given", () => {
    expect(threadPresetParams("thread/start", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox }, stableProtocol)).toEqual({
      approvalPolicy: "never",
      approvalsReviewer: null,
      sandbox: "danger-full-access",
    });
    expect(threadPresetParams("thread/start", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox: Sandbox.fullAccess }, stableProtocol)).toMatchObject({
      sandbox: "danger-full-access",
    });
  });

  it.each([Sandbox.readOnly, Sandbox.workspace])("refuses bypass-everything with the explicit sandbox %s", (sandbox) => {
    const attempt = (): unknown => threadPresetParams("thread/start", { approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandbox }, stableProtocol);
    expect(attempt).toThrow(PresetConflictError);
    expect(attempt).toThrow(/thread\/start input: sandbox: ApprovalMode.dangerouslyBypassApprovalsAndSandbox opens the sandbox/);
  });

  it("names the preset meant by a preset's key or a near miss", () => {
    expect(() => threadPresetParams("thread/start", { approvalMode: "autoReview" as Mode }, stableProtocol)).toThrow(
      'invalid thread/start input: approvalMode: "autoReview" is not an ApprovalMode; did you mean ApprovalMode.autoReview?; nothing was sent',
    );
    expect(() => threadPresetParams("thread/start", { approvalMode: "yolo" as Mode }, stableProtocol)).toThrow(/use one of ApprovalMode.autoReview, ApprovalMode.askUser/);
  });

  it("refuses an unknown option key, suggesting the facade's own options too", () => {
    const options = { approvalMod: ApprovalMode.denyAll } as unknown as ThreadStartOptions;
    expect(() => threadPresetParams("thread/start", options, stableProtocol)).toThrow("invalid thread/start input: approvalMod: unknown key, did you mean approvalMode?; nothing was sent");
  });

  it("refuses threadId among the options of resume (the id is its own argument)", () => {
    expect(() => threadPresetParams("thread/resume", { threadId: "t" } as ThreadResumeOptions, stableProtocol)).toThrow(/threadId: threadId is set by codex-rx itself/);
  });
});

describe("turnPresetParams", () => {
  it("sends a sandbox preset as sandboxPolicy", () => {
    expect(turnPresetParams({ sandbox: Sandbox.workspace, effort: "low" }, stableProtocol)).toEqual({ sandboxPolicy: { type: "workspaceWrite" }, effort: "low" });
  });

  it("keeps an explicit sandboxPolicy over the preset of the same sandbox (its details win)", () => {
    const sandboxPolicy = { type: "workspaceWrite" as const, networkAccess: true };
    expect(turnPresetParams({ sandbox: Sandbox.workspace, sandboxPolicy }, stableProtocol)).toEqual({ sandboxPolicy });
  });

  it("refuses a sandbox preset that contradicts sandboxPolicy", () => {
    expect(() => turnPresetParams({ sandbox: Sandbox.fullAccess, sandboxPolicy: { type: "readOnly" } }, stableProtocol)).toThrow(PresetConflictError);
  });

  it.each([
    [{ sandboxPolicy: { type: "readOnly" as const } }, "sandboxPolicy"],
    [{ sandboxPolicy: { type: "workspaceWrite" as const } }, "sandboxPolicy"],
    [{ sandbox: Sandbox.readOnly }, "sandbox"],
  ])("refuses bypass-everything with the explicit restricted %j", (explicit, field) => {
    let error: unknown;
    try {
      turnPresetParams({ approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, ...explicit }, stableProtocol);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PresetConflictError);
    expect((error as PresetConflictError).path).toBe(field);
  });

  it("opens the sandbox for bypass-everything alone, or with an explicit full-access policy", () => {
    const open = { approvalPolicy: "never", approvalsReviewer: null, sandboxPolicy: { type: "dangerFullAccess" } };
    expect(turnPresetParams({ approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox }, stableProtocol)).toEqual(open);
    expect(turnPresetParams({ approvalMode: ApprovalMode.dangerouslyBypassApprovalsAndSandbox, sandboxPolicy: { type: "dangerFullAccess" } }, stableProtocol)).toEqual(open);
  });

  it("drops signal and outputSchema (the caller handles them) and checks the signal", () => {
    expect(turnPresetParams({ signal: new AbortController().signal, outputSchema: { type: "object" } }, stableProtocol)).toEqual({});
    expect(() => turnPresetParams({ signal: { aborted: false } as AbortSignal }, stableProtocol)).toThrow("invalid turn/start input: signal: expected an AbortSignal, got an object (Object); nothing was sent");
    expect(() => turnPresetParams({ outputSchema: "json" }, stableProtocol)).toThrow('invalid turn/start input: outputSchema: expected a zod schema or a JSON Schema object, got "json"; nothing was sent');
  });

  it("names a sandbox preset given by its key", () => {
    expect(() => turnPresetParams({ sandbox: "readOnly" as Sandbox }, stableProtocol)).toThrow(/"readOnly" is not a Sandbox; did you mean Sandbox.readOnly\?/);
  });

  it("refuses input and threadId among the options, and suggests facade keys", () => {
    expect(() => turnPresetParams({ input: [] } as TurnPresetFields, stableProtocol)).toThrow(/input: input is set by codex-rx itself/);
    expect(() => turnPresetParams({ signl: undefined, sandBox: "read-only" } as TurnPresetFields, stableProtocol)).toThrow(/sandBox: unknown key, did you mean sandbox\?/);
  });
});
