import type { ThreadListParams, ThreadListResponse } from "../protocol/generated/index.js";
import type { RpcConnection } from "../rpc/RpcConnection.js";
import type { ThreadInfo } from "./Thread.js";

/**
 * What `codex.threadList(params)` returns: await it for one page (`{ data, nextCursor }`), or
 * iterate it with `for await` for every stored thread across pages. Nothing is sent until it is
 * awaited or iterated; the first page is then fetched once and shared by both ways of reading it.
 * Iterating follows `nextCursor` from `params.cursor`, asks for a page only when the previous one
 * has been read, and stops asking on `break`. (RxJS's `from()` takes it for a Promise, so it gives
 * the first page: use `from(codex.threadList(params)[Symbol.asyncIterator]())` for every thread.)
 *
 * @example
 * ```ts
 * const { data, nextCursor } = await codex.threadList({ limit: 20 });
 * for await (const info of codex.threadList({ searchTerm: "auth" })) console.log(info.id, info.name);
 * ```
 */
export class ThreadListPromise implements Promise<ThreadListResponse>, AsyncIterable<ThreadInfo> {
  readonly [Symbol.toStringTag] = "ThreadListPromise";
  #first: Promise<ThreadListResponse> | undefined;

  /** @internal Made by `codex.threadList()`. */
  constructor(
    private readonly rpc: RpcConnection,
    private readonly params: ThreadListParams,
  ) {}

  /** One `thread/list` with the given cursor (the params' own when `undefined`). */
  private fetchPage(cursor: string | null | undefined): Promise<ThreadListResponse> {
    return this.rpc.request("thread/list", cursor === undefined ? this.params : { ...this.params, cursor });
  }

  /** The first page, requested on first use. */
  private first(): Promise<ThreadListResponse> {
    return (this.#first ??= this.fetchPage(undefined));
  }

  /**
   * Requests the first page (once) and settles with it.
   *
   * @param onfulfilled gets the page
   * @param onrejected gets the error (`InvalidInputError`, `JsonRpcError`, `TransportClosedError`)
   * @returns a Promise of the callback's result
   */
  then<R1 = ThreadListResponse, R2 = never>(
    onfulfilled?: ((page: ThreadListResponse) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.first().then(onfulfilled, onrejected);
  }

  /**
   * As `Promise.prototype.catch`, on the first page.
   *
   * @param onrejected gets the error
   * @returns a Promise of the page or the callback's result
   */
  catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<ThreadListResponse | R> {
    return this.first().catch(onrejected);
  }

  /**
   * As `Promise.prototype.finally`, on the first page.
   *
   * @param onfinally runs when the first page settles
   * @returns a Promise of the page
   */
  finally(onfinally?: (() => void) | null): Promise<ThreadListResponse> {
    return this.first().finally(onfinally);
  }

  /**
   * Every thread of every page, one by one.
   *
   * @returns an async iterator; `break` stops the paging
   */
  async *[Symbol.asyncIterator](): AsyncGenerator<ThreadInfo, void, undefined> {
    let page = await this.first();
    yield* page.data;
    while (page.nextCursor) {
      page = await this.fetchPage(page.nextCursor);
      yield* page.data;
    }
  }
}
