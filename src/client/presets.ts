import type { ApprovalsReviewer, AskForApproval, SandboxMode, SandboxPolicy, TurnStartParams } from "../protocol/generated/index.js";
import { assertNever, isPlainObject, PresetConflictError } from "../errors/index.js";
import type { ClientProtocol } from "../protocol/ClientProtocol.js";
import { checkOptionKeys, invalidInput, nearest } from "../protocol/validate.js";

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

// ── Applying presets: the ONE place where presets become wire fields ─────────────────────────────

/** The fields of a thread-opening call's options that presets touch. */
export interface ThreadPresetFields {
  readonly approvalMode?: ApprovalMode | undefined;
  readonly approvalPolicy?: AskForApproval | null | undefined;
  readonly approvalsReviewer?: ApprovalsReviewer | null | undefined;
  readonly sandbox?: SandboxMode | null | undefined;
}

/**
 * The wire params of `thread/start`, `thread/resume` or `thread/fork` from the caller's options:
 * the option keys checked, the approval preset replaced by the fields it stands for. An explicit
 * `sandbox` always wins; `dangerouslyBypassApprovalsAndSandbox` with an explicit restricted
 * sandbox is refused.
 *
 * @param method the request the params are for
 * @param options the caller's options
 * @param protocol the connection's surface (`rpc.protocol`): the stable one refuses experimental fields by name
 * @returns the params to send (without `approvalMode`)
 * @throws {InvalidInputError} for an unknown option key or a preset that does not exist
 * @throws {PresetConflictError} for bypass-everything together with a restricted sandbox
 * @example
 * ```ts
 * threadPresetParams("thread/start", { approvalMode: ApprovalMode.denyAll, sandbox: Sandbox.readOnly }, rpc.protocol);
 * // { approvalPolicy: "never", approvalsReviewer: null, sandbox: "read-only" }
 * ```
 */
export function threadPresetParams<P extends ThreadPresetFields>(method: string, options: P, protocol: ClientProtocol): Omit<P, "approvalMode"> {
  const keys = checkOptionKeys(method, options, ["approvalMode"], method === "thread/start" ? [] : ["threadId"], protocol);
  if (keys !== undefined) throw keys;
  const { approvalMode, ...wire } = options;
  if (approvalMode === undefined) return wire;
  const preset = presetOf(method, approvalMode);
  const explicit = wire.sandbox ?? undefined;
  if (explicit !== undefined) checkPreset(method, "sandbox", "a", "Sandbox", Sandbox, explicit);
  if (preset.sandbox !== undefined && explicit !== undefined && explicit !== preset.sandbox) throw bypassConflict(method, "sandbox", JSON.stringify(explicit));
  return {
    ...wire,
    approvalPolicy: preset.approvalPolicy,
    approvalsReviewer: preset.approvalsReviewer ?? null,
    ...(preset.sandbox !== undefined && explicit === undefined ? { sandbox: preset.sandbox } : {}),
  };
}

/** The options of `thread.turn()` / `thread.run()` that presets touch or that the facade adds. */
export interface TurnPresetFields {
  readonly approvalMode?: ApprovalMode | undefined;
  readonly sandbox?: Sandbox | undefined;
  readonly sandboxPolicy?: SandboxPolicy | null | undefined;
  readonly approvalPolicy?: AskForApproval | null | undefined;
  readonly approvalsReviewer?: ApprovalsReviewer | null | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly outputSchema?: unknown;
}

/** The `turn/start` params a turn's options stand for (besides `threadId`, `input`, `outputSchema`). */
export type TurnPresetParams = Omit<TurnStartParams, "threadId" | "input" | "outputSchema">;

/**
 * The wire params of `turn/start` from a turn's options: the option keys and the facade's own
 * options checked, the presets replaced by the fields they stand for. An explicit `sandboxPolicy`
 * or `sandbox` always wins; both at once must agree; `dangerouslyBypassApprovalsAndSandbox` with
 * an explicit restricted sandbox is refused.
 *
 * @param options the turn's options
 * @param protocol the connection's surface (`rpc.protocol`): the stable one refuses experimental fields by name
 * @returns the params to send, without `signal` and `outputSchema` (the caller handles those)
 * @throws {InvalidInputError} for an unknown option key, a preset that does not exist, a `signal` that is not an AbortSignal
 * @throws {PresetConflictError} for contradicting sandbox options
 * @example
 * ```ts
 * turnPresetParams({ sandbox: Sandbox.workspace }, rpc.protocol); // { sandboxPolicy: { type: "workspaceWrite" } }
 * ```
 */
export function turnPresetParams<P extends TurnPresetFields>(options: P, protocol: ClientProtocol): TurnPresetParams {
  const method = "turn/start";
  const keys = checkOptionKeys(method, options, ["approvalMode", "sandbox", "signal", "outputSchema"], ["threadId", "input"], protocol);
  if (keys !== undefined) throw keys;
  const { approvalMode, sandbox, signal, outputSchema, ...wire } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) throw invalidInput(method, ["signal"], `expected an AbortSignal, got ${describe(signal)}`);
  if (outputSchema !== undefined && !isPlainObject(outputSchema)) {
    throw invalidInput(method, ["outputSchema"], `expected a zod schema or a JSON Schema object, got ${describe(outputSchema)}`);
  }
  if (sandbox !== undefined) checkPreset(method, "sandbox", "a", "Sandbox", Sandbox, sandbox);
  const policy = wire.sandboxPolicy ?? undefined;
  const fromSandbox = sandbox === undefined ? undefined : sandboxPolicyOf(sandbox);
  if (fromSandbox !== undefined && policy !== undefined && fromSandbox.type !== policy.type) {
    throw new PresetConflictError(method, [
      { path: ["sandbox"], message: `sandbox ${JSON.stringify(sandbox)} contradicts sandboxPolicy.type ${JSON.stringify(policy.type)}; pass one of them`, code: "preset_conflict" },
    ]);
  }
  const explicit = policy ?? fromSandbox;
  const preset = approvalMode === undefined ? undefined : presetOf(method, approvalMode);
  if (preset?.sandbox !== undefined && explicit !== undefined && explicit.type !== "dangerFullAccess") {
    throw bypassConflict(method, policy !== undefined ? "sandboxPolicy" : "sandbox", policy !== undefined ? `{ type: ${JSON.stringify(policy.type)} }` : JSON.stringify(sandbox));
  }
  const sandboxPolicy = explicit ?? (preset?.sandbox === undefined ? undefined : sandboxPolicyOf(preset.sandbox));
  return {
    ...wire,
    ...(preset === undefined ? {} : { approvalPolicy: preset.approvalPolicy, approvalsReviewer: preset.approvalsReviewer ?? null }),
    ...(sandboxPolicy === undefined ? {} : { sandboxPolicy }),
  } as TurnPresetParams;
}

function presetOf(method: string, mode: ApprovalMode): ApprovalWireFields {
  checkPreset(method, "approvalMode", "an", "ApprovalMode", ApprovalMode, mode);
  return approvalWireFields(mode);
}

/** Refuses a value that is none of the preset object's values, naming the nearest preset. */
function checkPreset(method: string, field: string, article: "a" | "an", name: string, presets: Readonly<Record<string, string>>, value: unknown): void {
  if ((Object.values(presets) as unknown[]).includes(value)) return;
  const suggestion = suggestionFor(name, presets, value);
  const hint = suggestion === undefined ? `use one of ${presetList(name, presets)}` : `did you mean ${suggestion}?`;
  throw invalidInput(method, [field], `${describe(value)} is not ${article} ${name}; ${hint}`, suggestion);
}

function bypassConflict(method: string, field: string, explicit: string): PresetConflictError {
  return new PresetConflictError(method, [
    {
      path: [field],
      message:
        `ApprovalMode.dangerouslyBypassApprovalsAndSandbox opens the sandbox (full access), but ${field} ${explicit} asks for a restricted one; ` +
        `drop the preset (e.g. ApprovalMode.denyAll keeps the sandbox) or the explicit ${field}`,
      code: "preset_conflict",
    },
  ]);
}

function presetList(name: string, presets: Readonly<Record<string, string>>): string {
  return Object.keys(presets).map((k) => `${name}.${k}`).join(", ");
}

/** `ApprovalMode.autoReview` for "autoReview", "auto-review", "autoreview", … */
function suggestionFor(name: string, presets: Readonly<Record<string, string>>, value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const byKey = nearest(value, Object.keys(presets));
  if (byKey !== undefined) return `${name}.${byKey}`;
  const byValue = nearest(value, Object.values(presets));
  const key = Object.keys(presets).find((k) => presets[k] === byValue);
  return key === undefined ? undefined : `${name}.${key}`;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value).slice(8, -1)})`;
  return `${typeof value} ${String(value)}`;
}
