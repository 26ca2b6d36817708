import { AsyncSubject, EMPTY, Observable, Subscription, catchError, concatMap, concatWith, defer, ignoreElements, lastValueFrom, of, reduce, retry, takeUntil, throwError, timer } from "rxjs";
import type { CommandExecParams, CommandExecResponse } from "../../protocol/generated/index.js";
import { InvalidRequestError, type InvalidInputError, invalidInput } from "../../errors/index.js";
import type { ClientProtocol } from "../../protocol/ClientProtocol.js";
import { checkOptionKeys, validateParams } from "../../protocol/validate.js";
import { sandboxPolicyOf } from "../presets.js";
import { isExecExit, type ExecEvent, type ExecOptions, type ExecResult, type TerminalSize } from "./ExecOptions.js";
import { Utf8Streams } from "./Utf8Streams.js";
import type { WorkContext } from "./WorkContext.js";

const METHOD = "command/exec";
/** The options codex-rx reads itself; `command`, `processId` and the streaming flags it sets. */
const FACADE_KEYS = ["sandbox", "stdin", "tty"] as const;
const FILLED_IN = ["command", "processId", "streamStdin", "streamStdoutStderr", "size"] as const;
/** A terminate can reach the server before the process is registered; it is tried again this often. */
const TERMINATE_RETRIES = 20;
const TERMINATE_RETRY_MS = 50;

/**
 * A command as a cold Observable: each subscription runs it once (`command/exec`, streamed) and
 * emits its output as it comes, one {@link ExecChunk} per `command/exec/outputDelta` (decoded per
 * stream, split characters included), then one {@link ExecExit} with the exit code, then
 * completes. Unsubscribing before the exit terminates the process (`command/exec/terminate`,
 * tried again until the server has it), so `takeUntil`, `timeout`, `switchMap` and a failing
 * sibling in `forkJoin` stop real work. A non-zero exit is data, not an error.
 *
 * ```
 * subscribe   -a-b--c-(x|)     a, b, c: chunks; x: { exitCode }
 * unsubscribe -a-b-!           → command/exec/terminate
 * ```
 *
 * @param ctx the connection's work context
 * @param argv the program and its arguments (not a shell line)
 * @param options the protocol's options, a `sandbox` preset, `stdin`, `tty`
 * @returns the cold Observable of the command's events
 * @throws {InvalidInputError} (on subscribe, nothing sent) for an empty argv or a bad option
 * @throws {TransportClosedError} when the connection ends while the command runs
 */
export function exec$(ctx: WorkContext, argv: readonly string[], options: ExecOptions = {}): Observable<ExecEvent> {
  const params = execParams(argv, options, ctx.rpc.protocol);
  if (!("command" in params)) return throwError(() => params);
  const { stdin, tty } = options;
  const resize$ = typeof tty === "object" ? tty.resize$ : undefined;
  return new Observable<ExecEvent>((subscriber) => {
    const processId = ctx.newId("exec");
    const decoders = new Utf8Streams();
    // The exit: the answer comes after every outputDelta of the process (the server's order).
    const exit = new AsyncSubject<CommandExecResponse>();
    const route = ctx.routes.route("command/exec/outputDelta", processId, {
      next: (n) => subscriber.next(decoders.chunk(n.params)),
      end: (error) => {
        // A drop: the server has ended the process with the connection. A close: the request fails with its reason.
        if (error !== undefined) subscriber.error(error);
      },
    });
    const answer = ctx.rpc.request$(METHOD, { ...params, processId }, { timeoutMs: Number.POSITIVE_INFINITY, skipParamsValidation: true }).subscribe(exit);
    // Emits once the command has answered (exited, or failed): what stops its inputs and a terminate.
    const exited$ = exit.pipe(ignoreElements(), catchError(() => EMPTY), concatWith(of(true)));
    let done = false;
    const sub = exit.subscribe({
      next: ({ exitCode }) => {
        done = true;
        for (const rest of decoders.flush()) subscriber.next(rest);
        subscriber.next({ exitCode });
      },
      error: (error: unknown) => {
        done = true;
        subscriber.error(error);
      },
      complete: () => subscriber.complete(),
    });
    // Subscribed after the command/exec request is written: the wire keeps the order.
    const inputs = new Subscription();
    const followUp = (body: { readonly deltaBase64?: string; readonly closeStdin?: boolean } | { readonly size: TerminalSize }): Observable<never> => {
      const request$ = "size" in body ? ctx.rpc.request$("command/exec/resize", { processId, ...body }) : ctx.rpc.request$("command/exec/write", { processId, ...body });
      // Input to a process that has just exited is lost, as with a closed pipe: its exit answers anyway.
      return request$.pipe(ignoreElements(), catchError(() => EMPTY));
    };
    const fail = { error: (error: unknown) => subscriber.error(error) };
    if (stdin !== undefined) {
      const writes = stdin.pipe(
        concatMap((data) => followUp({ deltaBase64: Buffer.from(data).toString("base64") })),
        concatWith(defer(() => followUp({ closeStdin: true }))),
        takeUntil(exited$),
      );
      inputs.add(writes.subscribe(fail));
    }
    if (resize$ !== undefined) inputs.add(resize$.pipe(concatMap((size) => followUp({ size })), takeUntil(exited$)).subscribe(fail));
    return () => {
      route.unsubscribe();
      inputs.unsubscribe();
      sub.unsubscribe();
      if (done || ctx.rpc.closed) {
        answer.unsubscribe();
        return;
      }
      // Unsubscribed while it runs: the subscriber owned the process, so it ends with it.
      terminate(ctx, processId, exited$).subscribe({ complete: () => answer.unsubscribe() });
    };
  });
}

/**
 * Sends `command/exec/terminate` until the server knows the process: sent right after
 * `command/exec`, it can arrive before the process is registered ("no active command/exec").
 * Stops when the command's answer comes (it exited or was killed).
 */
function terminate(ctx: WorkContext, processId: string, exited$: Observable<boolean>): Observable<unknown> {
  return ctx.rpc.request$("command/exec/terminate", { processId }).pipe(
    retry({
      count: TERMINATE_RETRIES,
      delay: (error: unknown) => (error instanceof InvalidRequestError ? timer(TERMINATE_RETRY_MS, ctx.scheduler) : throwError(() => error)),
    }),
    catchError(() => EMPTY),
    takeUntil(exited$),
  );
}

/**
 * A command run to its exit: `exec$` folded into the exit code and each stream's whole text.
 *
 * @param ctx the connection's work context
 * @param argv the program and its arguments
 * @param options as {@link exec$}
 * @returns the {@link ExecResult}; a non-zero exit code is a result
 */
export function exec(ctx: WorkContext, argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  const seed = { exitCode: -1, stdout: [] as string[], stderr: [] as string[] };
  return lastValueFrom(
    exec$(ctx, argv, options).pipe(
      reduce((acc, event) => {
        if (isExecExit(event)) acc.exitCode = event.exitCode;
        else acc[event.stream].push(event.text);
        return acc;
      }, seed),
    ),
  ).then((acc) => ({ exitCode: acc.exitCode, stdout: acc.stdout.join(""), stderr: acc.stderr.join("") }));
}

/**
 * The `command/exec` params of a call, checked as strictly as the server would, before anything
 * is sent.
 *
 * @param protocol the connection's surface (`rpc.protocol`)
 * @returns the params (without `processId`), or the error
 */
export function execParams(argv: readonly string[], options: ExecOptions, protocol: ClientProtocol): Omit<CommandExecParams, "processId"> | InvalidInputError {
  if (!Array.isArray(argv) || argv.length === 0) {
    return invalidInput(METHOD, ["command"], "argv must name a program: an array of at least one string, e.g. [\"ls\", \"-la\"]");
  }
  const unknown = checkOptionKeys(METHOD, options, FACADE_KEYS, FILLED_IN, protocol);
  if (unknown !== undefined) return unknown;
  const { sandbox, stdin, tty, ...wire } = options;
  const fromPreset = sandbox === undefined ? undefined : sandboxPolicyOf(sandbox);
  if (fromPreset !== undefined && wire.sandboxPolicy != null && wire.sandboxPolicy.type !== fromPreset.type) {
    return invalidInput(METHOD, ["sandbox"], `sandbox ${JSON.stringify(sandbox)} contradicts sandboxPolicy.type ${JSON.stringify(wire.sandboxPolicy.type)}; pass one of them`);
  }
  const size = typeof tty === "object" ? tty.size : undefined;
  const params: Omit<CommandExecParams, "processId"> = {
    ...wire,
    ...(fromPreset === undefined || wire.sandboxPolicy != null ? {} : { sandboxPolicy: fromPreset }),
    command: [...argv],
    streamStdoutStderr: true,
    ...(stdin === undefined ? {} : { streamStdin: true }),
    ...(tty === undefined || tty === false ? {} : { tty: true }),
    ...(size === undefined ? {} : { size }),
  };
  return validateParams(METHOD, { ...params, processId: "checked" }, protocol) ?? params;
}
