// Type-level tests of Codex.start's options and the facade's one way to each thing: `npm test`
// type-checks this file (tsc), so an option the type should refuse but accepts fails the build
// (an unused `@ts-expect-error` is an error). The runtime part only proves the file loads.
import {
  Codex,
  type CodexOptions,
  type StdioCodexOptions,
  type ThreadInfo,
  type ThreadListPromise,
  type Transport,
  type TransportCodexOptions,
} from "../../src/index.js";
import type { ThreadListResponse } from "../../src/protocol/generated/index.js";

import { assertType, type Equal } from "./typeAssert.js";

declare const transport: Transport;
declare const codex: Codex;

// Never called: the assertions are for tsc only.
async function typeAssertions(): Promise<void> {
  // stdio (no transport): every stdio field, and the common ones.
  await Codex.start();
  await Codex.start({ codexPath: "/bin/codex", env: { CODEX_HOME: "/h" }, cwd: "/repo", config: { model: "gpt-5.4" }, requestTimeoutMs: 1000 });
  // a transport: the common fields only.
  await Codex.start({ transport, approvals: {}, requestTimeoutMs: 1000, authCheck: false, clientInfo: { name: "x", version: "1" } });

  // @ts-expect-error codexPath is for stdio: the server behind a transport is not ours to spawn
  await Codex.start({ transport, codexPath: "/bin/codex" });
  // @ts-expect-error env is for stdio
  await Codex.start({ transport, env: { CODEX_HOME: "/h" } });
  // @ts-expect-error cwd is for stdio
  await Codex.start({ transport, cwd: "/repo" });
  // @ts-expect-error config is for stdio
  await Codex.start({ transport, config: { model: "gpt-5.4" } });
  // @ts-expect-error a TransportCodexOptions needs its transport
  const noTransport: TransportCodexOptions = { requestTimeoutMs: 5 };
  // @ts-expect-error a StdioCodexOptions has no transport
  const stdioWithTransport: StdioCodexOptions = { transport };
  void noTransport;
  void stdioWithTransport;

  // The union narrows on `transport`.
  const options = {} as CodexOptions;
  if (options.transport === undefined) assertType<Equal<typeof options.codexPath, string | undefined>>();
  else assertType<Equal<typeof options.codexPath, undefined>>();

  // One request method: codex.request; the connection underneath is not public.
  const models = await codex.request("model/list", {});
  void models;
  // @ts-expect-error the RpcConnection is private: codex.request is the one way
  void codex.rpc;

  // One way to list threads: awaited, a page; iterated, the threads.
  const listing = codex.threadList({ limit: 5 });
  assertType<Equal<typeof listing, ThreadListPromise>>();
  assertType<Equal<Awaited<typeof listing>, ThreadListResponse>>();
  for await (const info of listing) assertType<Equal<typeof info, ThreadInfo>>();
  // @ts-expect-error threadList$ is gone: iterate codex.threadList()
  void codex.threadList$;
  // @ts-expect-error threads() is gone: iterate codex.threadList()
  void codex.threads;
}

describe("Codex options and facade types", () => {
  it("type-checks (see typeAssertions)", () => {
    expect(typeof typeAssertions).toBe("function");
  });
});
