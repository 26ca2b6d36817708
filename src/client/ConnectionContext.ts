import type { Observable, SchedulerLike } from "rxjs";
import type { InitializeParams } from "../protocol/generated/index.js";
import type { AuthRequiredDetails } from "../errors/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import { NotificationRouter } from "../routing/NotificationRouter.js";
import type { ConnectionState } from "../transport/ConnectionState.js";
import { AccountCheck } from "./authCheck.js";
import { AccountService } from "./AccountService.js";
import { workContextOf } from "./commands/WorkContext.js";
import { WorkService } from "./commands/WorkService.js";
import { GapRepair } from "./GapRepair.js";
import { openThenClosed$ } from "./openThenClosed.js";
import { ThreadRegistry } from "./ThreadRegistry.js";
import { ThreadService } from "./ThreadService.js";
import { ToolRegistry } from "./tools/ToolRegistry.js";

/** @internal What `connect()` knows once the handshake is done, to build a {@link ConnectionContext}. */
export interface ConnectionContextInit {
  /** The `initialize` params, sent again on every new connection of a reconnecting transport. */
  readonly initialize: InitializeParams;
  /** What an `AuthRequiredError` tells the user; absent when the account check is off (`authCheck: false`). */
  readonly accountCheck?: AuthRequiredDetails | undefined;
  /**
   * The client-side tools' handlers: `connect()` makes them before the handshake, since they answer
   * server requests. Default: a registry of its own (for a context whose connection answers none).
   */
  readonly tools?: ToolRegistry | undefined;
  /** The client's clock (`CodexOptions.scheduler`): where the cold work's retries wait. */
  readonly scheduler?: SchedulerLike | undefined;
}

/**
 * @internal Everything that exists once per connection, built by `Codex.start` and handed
 * explicitly to what needs it (the Codex, its threads, turns, goals and logins). A new kind of
 * per-connection state is a new field here, never a module-level map keyed by the connection:
 * the state then lives and dies with the client that owns it, and a reader sees where it comes from.
 */
export class ConnectionContext {
  /** The account check before a turn; undefined when `authCheck: false`. */
  readonly accountCheck: AccountCheck | undefined;
  /**
   * The thread handles to resume after a reconnect; undefined over a transport that cannot
   * reconnect (nothing to restore, so nothing kept).
   */
  readonly threads: ThreadRegistry | undefined;
  /** `codex.connection$`: over a reconnecting transport, `open` again only once the session is restored. */
  readonly connection$: Observable<ConnectionState>;
  /** `capabilities.experimentalApi` as sent in `initialize`. */
  readonly experimentalApi: boolean;
  /** The client-side tools: the handlers of each thread's tool calls, and the calls running. */
  readonly tools: ToolRegistry;
  /** What `codex.threadStart`, `threadResume`, … do: opens threads and makes their handles. */
  readonly threadService: ThreadService;
  /** What `codex.loginApiKey`, `account$`, … do. */
  readonly account: AccountService;
  private routerOnce: NotificationRouter | undefined;
  private workOnce: WorkService | undefined;
  private readonly scheduler: SchedulerLike | undefined;

  /**
   * @param rpc the connection, handshake done
   * @param init the `initialize` params and the account check's details
   */
  constructor(
    readonly rpc: RpcConnection,
    init: ConnectionContextInit,
  ) {
    this.experimentalApi = init.initialize.capabilities?.experimentalApi ?? false;
    this.tools = init.tools ?? new ToolRegistry({ notifications$: rpc.notifications$, experimentalApi: this.experimentalApi });
    this.accountCheck = init.accountCheck === undefined ? undefined : new AccountCheck(rpc, init.accountCheck);
    this.scheduler = init.scheduler;
    this.threadService = new ThreadService(this);
    this.account = new AccountService(this);
    if (rpc.transport.connection$ === undefined) {
      this.threads = undefined;
      this.connection$ = openThenClosed$(rpc);
    } else {
      this.threads = new ThreadRegistry();
      this.connection$ = new GapRepair(this, this.threads, init.initialize).connection$;
    }
  }

  /**
   * The connection's one router. Made on first use: a client that never starts a turn, goal or
   * login keeps no subscription for it (the fault suite counts the connection's observers).
   */
  get router(): NotificationRouter {
    return (this.routerOnce ??= new NotificationRouter(this.rpc));
  }

  /**
   * The connection's commands, watches and files (`exec$`, `exec`, `watch$`, `fs`): output and
   * changes routed by the client's ids, all ended when the connection ends or drops. Made on first
   * use, like the router.
   */
  get work(): WorkService {
    return (this.workOnce ??= new WorkService(workContextOf(this.rpc, this.scheduler), this.rpc));
  }
}
