import { TestScheduler } from "rxjs/testing";
import { Codex, type CommonCodexOptions, type ProtocolError } from "../../src/index.js";
import { fakeAppServer, type FakeAppServer, type FakeAppServerOptions } from "../../src/testing/index.js";

/** A client on the in-memory fake app-server, on a virtual clock. */
export interface VirtualCodex {
  readonly scheduler: TestScheduler;
  readonly server: FakeAppServer;
  readonly codex: Codex;
  readonly protocolErrors: ProtocolError[];
  /** Moves the clock (all the way by default) and then awaits `promise`. */
  settle<T>(promise: Promise<T>, ms?: number): Promise<T>;
}

/**
 * Starts a `Codex` over `fakeAppServer({ scheduler })` with a fresh `TestScheduler`: every delay
 * of the fake is virtual, and `settle()` moves the clock while the client's Promises run.
 */
export async function virtualCodex(server: Omit<FakeAppServerOptions, "scheduler"> = {}, client: CommonCodexOptions = {}): Promise<VirtualCodex> {
  const scheduler = new TestScheduler((a, e) => expect(a).toEqual(e));
  const fake = fakeAppServer({ ...server, scheduler });
  const settle = async <T>(promise: Promise<T>, ms?: number): Promise<T> => {
    await fake.advance(ms);
    return promise;
  };
  const codex = await settle(Codex.start({ ...client, transport: fake.transport }));
  const protocolErrors: ProtocolError[] = [];
  codex.protocolErrors$.subscribe((e) => protocolErrors.push(e));
  return { scheduler, server: fake, codex, protocolErrors, settle };
}

/** Starts a `Codex` over a fake app-server on the real clock (everything with no delay). */
export async function fakeCodex(server: FakeAppServerOptions = {}, client: CommonCodexOptions = {}): Promise<{ server: FakeAppServer; codex: Codex }> {
  const fake = fakeAppServer(server);
  return { server: fake, codex: await Codex.start({ ...client, transport: fake.transport }) };
}
