// Type-level tests of the experimental surface: `npm test` type-checks this file (tsc), so a type
// that accepts what it should refuse (or the reverse) fails the build. A client started with the
// literal `experimentalApi: true` is a `Codex<"experimental">`, whose `request` and thread options
// are typed over the experimental registries; every other client sees the stable types as before.
import {
  Codex,
  type ClientRequestMethod,
  type ClientRequestResultMap,
  type ExperimentalClientRequestMethod,
  type ExperimentalClientRequestParamsMap,
  type ExperimentalClientRequestResultMap,
  type ThreadStartOptions,
  type Transport,
  type experimentalProtocol,
} from "../../src/index.js";
import type { DynamicToolSpec, ThreadStartParams } from "../../src/protocol/generated/index.js";

import { assertType, type Equal } from "./typeAssert.js";

declare const transport: Transport;
declare const flag: boolean;
declare const tools: DynamicToolSpec[];

// Never called: the assertions are for tsc only.
async function typeAssertions(): Promise<void> {
  // The overloads: the literal true gives the experimental client; anything else the stable one.
  const lab = await Codex.start({ experimentalApi: true });
  assertType<Equal<typeof lab, Codex<"experimental">>>();
  const overTransport = await Codex.start({ transport, experimentalApi: true });
  assertType<Equal<typeof overTransport, Codex<"experimental">>>();
  const plain = await Codex.start();
  assertType<Equal<typeof plain, Codex>>();
  assertType<Equal<typeof plain, Codex<"stable">>>();
  const off = await Codex.start({ experimentalApi: false });
  assertType<Equal<typeof off, Codex>>();
  // A boolean that is not known to be true: the stable types (the server may refuse the rest).
  const unknown = await Codex.start({ experimentalApi: flag });
  assertType<Equal<typeof unknown, Codex>>();

  // codex.request on the experimental client: every method of the surface, typed both ways.
  const modes = await lab.request("collaborationMode/list", {});
  assertType<Equal<typeof modes, ExperimentalClientRequestResultMap["collaborationMode/list"]>>();
  const queued = await lab.request("thread/queue/list", { threadId: "t" });
  assertType<Equal<typeof queued, experimentalProtocol.ThreadQueueListResponse>>();
  // @ts-expect-error the experimental params are checked too: threadId is a string
  await lab.request("thread/queue/list", { threadId: 1 });
  // the stable methods stay, with the experimental fields of their params
  await lab.request("thread/start", { dynamicTools: tools });
  const models = await lab.request("model/list", {});
  assertType<Equal<typeof models, ClientRequestResultMap["model/list"]>>();

  // codex.request on a stable client: the stable surface exactly as before.
  const stableModels = await plain.request("model/list", {});
  assertType<Equal<typeof stableModels, ClientRequestResultMap["model/list"]>>();
  // @ts-expect-error an experimental method is not a method of the stable surface
  await plain.request("collaborationMode/list", {});
  // @ts-expect-error nor an experimental field of a stable method
  await plain.request("thread/start", { dynamicTools: tools });

  // The thread options follow the client's surface.
  await lab.threadStart({ cwd: "/repo", dynamicTools: tools });
  await lab.threadResume("t", { runtimeWorkspaceRoots: ["/repo"] });
  // @ts-expect-error a stable client's threadStart has no dynamicTools
  await plain.threadStart({ cwd: "/repo", dynamicTools: tools });
  // @ts-expect-error a typo is still a typo on the experimental client
  await lab.threadStart({ cwdd: "/repo" });
  assertType<Equal<ThreadStartOptions, ThreadStartOptions<"stable">>>();
  assertType<Equal<ThreadStartOptions<"experimental">["dynamicTools"], DynamicToolSpec[] | null | undefined>>();
  assertType<Equal<keyof ThreadStartOptions, keyof ThreadStartParams | "approvalMode">>();

  // An experimental client goes wherever a Codex is expected (helpers typed with the stable one).
  const asStable: Codex = lab;
  void asStable;

  // The registries: the experimental one holds every stable method and adds its own.
  assertType<ClientRequestMethod extends ExperimentalClientRequestMethod ? true : false>();
  assertType<Equal<Extract<"collaborationMode/list", ClientRequestMethod>, never>>();
  assertType<Equal<ExperimentalClientRequestParamsMap["thread/start"]["dynamicTools"], DynamicToolSpec[] | null | undefined>>();
}

describe("the experimental surface's types", () => {
  it("type-checks (see typeAssertions)", () => {
    expect(typeof typeAssertions).toBe("function");
  });
});
