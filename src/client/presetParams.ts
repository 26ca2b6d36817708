// Applying presets: the ONE place where presets become wire fields, for `Codex`'s thread calls
// and `Thread`'s turns alike. Loaded with the connection (it checks option keys against the
// connection's surface); the presets themselves are `presets.ts`, on the main entry.
import type { ApprovalsReviewer, AskForApproval, SandboxMode, SandboxPolicy, TurnStartParams } from "../protocol/generated/index.js";
import { isPlainObject, PresetConflictError, invalidInput, nearest } from "../errors/index.js";
import type { ClientProtocol } from "../protocol/ClientProtocol.js";
import { checkOptionKeys } from "../protocol/validate.js";
import { ApprovalMode, Sandbox, approvalWireFields, sandboxPolicyOf, type ApprovalWireFields } from "./presets.js";

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
