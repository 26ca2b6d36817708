// The presets a program names (`ApprovalMode`, `Sandbox`) and the wire fields each stands for.
// Applying them to a call's options is `presetParams.ts`, loaded with the connection.
import type { ApprovalsReviewer, AskForApproval, SandboxMode, SandboxPolicy } from "../protocol/generated/index.js";
import { assertNever } from "../errors/index.js";

/**
 * Approval presets, the Python SDK's `ApprovalMode` in camelCase, plus `askUser`:
 *
 * | preset | approvalPolicy | approvalsReviewer | notes |
 * |---|---|---|---|
 * | `autoReview` | `on-request` | `auto_review` | the Python SDK's `thread_start` default: an automatic reviewer decides |
 * | `askUser` | `on-request` | `user` | codex-rx: requests reach your `approvals` handler |
 * | `denyAll` | `never` | — | nothing is ever approved: actions needing approval fail |
 * | `dangerouslyBypassApprovalsAndSandbox` | `never` | — | and the sandbox `danger-full-access`, like the CLI flag of that name |
 *
 * @example
 * ```ts
 * const thread = await codex.threadStart({ approvalMode: ApprovalMode.askUser, sandbox: Sandbox.workspace });
 * ```
 */
export const ApprovalMode = {
  autoReview: "auto_review",
  askUser: "ask_user",
  denyAll: "deny_all",
  dangerouslyBypassApprovalsAndSandbox: "dangerously_bypass_approvals_and_sandbox",
} as const;
/** One of the {@link ApprovalMode} presets. */
export type ApprovalMode = (typeof ApprovalMode)[keyof typeof ApprovalMode];

/**
 * Sandbox presets, the Python SDK's `Sandbox` in camelCase. Their values are the wire's
 * `thread/start` `sandbox` modes; on a turn they become a `sandboxPolicy`
 * (`readOnly` → `{ type: "readOnly" }`, `workspace` → `{ type: "workspaceWrite" }`,
 * `fullAccess` → `{ type: "dangerFullAccess" }`).
 *
 * @example
 * ```ts
 * await thread.run("fix the tests", { sandbox: Sandbox.workspace });
 * ```
 */
export const Sandbox = {
  readOnly: "read-only",
  workspace: "workspace-write",
  fullAccess: "danger-full-access",
} as const satisfies Record<string, SandboxMode>;
/** One of the {@link Sandbox} presets (the same strings as the wire's `SandboxMode`). */
export type Sandbox = SandboxMode;

/** The wire fields an {@link ApprovalMode} sets. */
export interface ApprovalWireFields {
  readonly approvalPolicy: AskForApproval;
  readonly approvalsReviewer?: ApprovalsReviewer;
  /** Only `dangerouslyBypassApprovalsAndSandbox` opens the sandbox too. */
  readonly sandbox?: SandboxMode;
}

/**
 * The wire fields of an approval preset (see the table on {@link ApprovalMode}).
 *
 * @param mode a preset
 * @returns `approvalPolicy`, and `approvalsReviewer` / `sandbox` where the preset sets them
 * @throws {TypeError} for a value that is not a preset
 */
export function approvalWireFields(mode: ApprovalMode): ApprovalWireFields {
  switch (mode) {
    case "auto_review":
      return { approvalPolicy: "on-request", approvalsReviewer: "auto_review" };
    case "ask_user":
      return { approvalPolicy: "on-request", approvalsReviewer: "user" };
    case "deny_all":
      return { approvalPolicy: "never" };
    case "dangerously_bypass_approvals_and_sandbox":
      return { approvalPolicy: "never", sandbox: "danger-full-access" };
    default:
      return assertNever(mode, "ApprovalMode");
  }
}

/**
 * The `turn/start` `sandboxPolicy` of a sandbox mode.
 *
 * @param sandbox a {@link Sandbox} preset / wire `SandboxMode`
 * @returns the matching policy
 * @throws {TypeError} for a value that is not a sandbox mode
 */
export function sandboxPolicyOf(sandbox: SandboxMode): SandboxPolicy {
  switch (sandbox) {
    case "read-only":
      return { type: "readOnly" };
    case "workspace-write":
      return { type: "workspaceWrite" };
    case "danger-full-access":
      return { type: "dangerFullAccess" };
    default:
      return assertNever(sandbox, "Sandbox");
  }
}
