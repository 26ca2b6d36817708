/**
 * @internal The thread handles of a connection that can reconnect: each is resumed after a drop
 * for as long as it is alive. It holds them weakly, so a handle nobody keeps is not resumed, and
 * forgets a thread once its handle is collected, so it does not grow with threads nobody holds.
 */
export class ThreadRegistry {
  private readonly handles = new Map<string, WeakRef<object>>();
  private readonly collected = new FinalizationRegistry<string>((id) => {
    if (this.handles.get(id)?.deref() === undefined) this.handles.delete(id);
  });

  /**
   * Keeps a thread's handle (the newest one made for the thread).
   *
   * @param threadId the thread
   * @param handle its handle, held weakly
   */
  register(threadId: string, handle: object): void {
    this.handles.set(threadId, new WeakRef(handle));
    this.collected.register(handle, threadId);
  }

  /**
   * @param threadId a thread
   * @returns its handle while it is alive, else undefined
   */
  handleOf(threadId: string): object | undefined {
    return this.handles.get(threadId)?.deref();
  }

  /** @returns the threads whose handle is still alive (the others are forgotten on the way) */
  liveThreadIds(): string[] {
    const ids: string[] = [];
    for (const [id, ref] of this.handles) {
      if (ref.deref() === undefined) this.handles.delete(id);
      else ids.push(id);
    }
    return ids;
  }

  /** The connection ended: nothing is resumed any more. */
  clear(): void {
    this.handles.clear();
  }
}
