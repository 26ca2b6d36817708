import { ApprovalMode, Sandbox, approvalWireFields, sandboxPolicyOf, type ApprovalMode as Mode } from "../../src/client/presets.js";

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
