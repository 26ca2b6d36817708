// What Codex's thread methods do: open a thread (start, resume, fork, unarchive) with its tools and
// presets, list and archive them, and make the one handle per opened thread. Part of a connection
// (ConnectionContext.threadService), loaded with it by the first Codex.start: the Thread handle
// and everything a turn runs on are not loaded by `import "codex-rx"`.
import { invalidInput } from "../errors/index.js";
import type { ThreadListParams } from "../protocol/generated/index.js";
import type { ThreadForkOptions, ThreadResumeOptions, ThreadStartOptions } from "./CodexOptions.js";
import type { ConnectionContext } from "./ConnectionContext.js";
import { threadPresetParams } from "./presetParams.js";
import { Thread, type ThreadInfo } from "./Thread.js";
import { ThreadListPromise } from "./threadList.js";
import type { ToolEntry } from "./tools/tool.js";
import { ToolSet } from "./tools/ToolSet.js";
import { startThreadWithTools } from "./tools/startThreadWithTools.js";

/**
 * @internal The thread calls of one connection, behind `codex.threadStart`, `threadResume`,
 * `threadFork`, `threadList`, `threadArchive` and `threadUnarchive` (documented there).
 */
export class ThreadService {
  constructor(private readonly context: ConnectionContext) {}

  async start(options: object | undefined): Promise<Thread> {
    const rpc = this.context.rpc;
    const { tools, ...rest } = wireOptions<ThreadStartOptions>(options);
    const toolSet = this.toolSetOf("thread/start", tools, rest);
    const params = threadPresetParams("thread/start", rest, rpc.protocol);
    if (toolSet === undefined) return this.open((await rpc.request("thread/start", params)).thread);
    const { thread } = await startThreadWithTools(rpc, params, toolSet);
    this.context.tools.attach(thread.id, toolSet);
    return this.open(thread);
  }

  async resume(threadId: string, options: object | undefined): Promise<Thread> {
    const rpc = this.context.rpc;
    const { tools, ...rest } = wireOptions<ThreadResumeOptions>(options);
    const toolSet = this.toolSetOf("thread/resume", tools, rest);
    const params = { ...threadPresetParams("thread/resume", rest, rpc.protocol), threadId };
    // Before the request: a turn running on the thread may call a tool before the answer arrives.
    const restore = toolSet === undefined ? undefined : this.context.tools.attach(threadId, toolSet);
    try {
      const { thread } = await rpc.request("thread/resume", params);
      return this.open(thread);
    } catch (error) {
      restore?.();
      throw error;
    }
  }

  async fork(threadId: string, options: object | undefined): Promise<Thread> {
    const rpc = this.context.rpc;
    const { tools, ...rest } = wireOptions<ThreadForkOptions>(options);
    // The server gives the fork its source's tools: without `tools`, so do the handlers here.
    const toolSet = this.toolSetOf("thread/fork", tools, rest) ?? this.context.tools.toolsOf(threadId);
    const { thread } = await rpc.request("thread/fork", { ...threadPresetParams("thread/fork", rest, rpc.protocol), threadId });
    if (toolSet !== undefined) this.context.tools.attach(thread.id, toolSet);
    return this.open(thread);
  }

  list(params: ThreadListParams): ThreadListPromise {
    return new ThreadListPromise(this.context.rpc, params);
  }

  async archive(threadId: string): Promise<void> {
    await this.context.rpc.request("thread/archive", { threadId });
  }

  async unarchive(threadId: string): Promise<Thread> {
    const { thread } = await this.context.rpc.request("thread/unarchive", { threadId });
    return this.open(thread);
  }

  /**
   * The one thread factory: every handle this client makes is registered here (over a
   * reconnecting transport), so it is resumed after a reconnect for as long as it is alive.
   */
  private open(info: ThreadInfo): Thread {
    const thread = new Thread(this.context, info);
    this.context.threads?.register(info.id, thread);
    return thread;
  }

  /** Checks `tools` (and that the client may use them) before anything is sent. */
  private toolSetOf(method: string, tools: readonly ToolEntry[] | undefined, rest: object): ToolSet | undefined {
    if (tools === undefined) return undefined;
    this.context.tools.assertEnabled(method);
    if ("dynamicTools" in rest && rest.dynamicTools !== undefined) throw invalidInput(method, ["dynamicTools"], "give tools or dynamicTools, not both (tools are sent as the thread's dynamicTools)");
    return ToolSet.of(method, tools);
  }
}

/**
 * A thread-opening call's options as the preset mapping takes them. The experimental surface's
 * fields are checked at run time against the connection's surface (`threadPresetParams`, then the
 * request itself), so the static type only needs the fields presets touch.
 */
function wireOptions<P extends ThreadStartOptions | ThreadResumeOptions | ThreadForkOptions>(options: object | undefined): P {
  return (options ?? {}) as P;
}
