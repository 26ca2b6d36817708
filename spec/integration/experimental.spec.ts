// The experimental surface on the real app-server: a client started with `experimentalApi: true`
// sends experimental methods and fields, typed and validated; a client without it refuses them
// itself, with ExperimentalApiRequiredError, before anything reaches the server.
import {
  Codex,
  ExperimentalApiRequiredError,
  InvalidInputError,
  InvalidRequestError,
  type ExperimentalClientRequestParamsMap,
  type ExperimentalClientRequestResultMap,
  type ProtocolSurface,
} from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import type { ThreadStartParams } from "../../src/protocol/generated/index.js";
import { CountingTransport } from "../helpers/CountingTransport.js";
import { assertType, type Equal } from "../types/typeAssert.js";
import { useHarness, type Harness } from "./harness.js";

let h: Harness;
useHarness((harness) => (h = harness));

/** A client whose every write is counted, with or without the experimental surface. */
async function counted(experimentalApi: true): Promise<{ codex: Codex<"experimental">; wire: CountingTransport }>;
async function counted(experimentalApi: false): Promise<{ codex: Codex; wire: CountingTransport }>;
async function counted(experimentalApi: boolean): Promise<{ codex: Codex<ProtocolSurface>; wire: CountingTransport }> {
  const wire = new CountingTransport(new StdioTransport({ env: h.home.env }));
  const codex = experimentalApi ? await Codex.start({ transport: wire, experimentalApi: true }) : await Codex.start({ transport: wire });
  return { codex: h.adopt(codex), wire };
}

const weatherTool = {
  type: "function",
  name: "get_weather",
  description: "The weather in a city.",
  inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
} as const;

describe("the experimental protocol (real app-server)", () => {
  it("with experimentalApi: true, codex.request sends an experimental method, typed over the experimental registries, its result validated", async () => {
    const { codex, wire } = await counted(true);
    const modes = await codex.request("collaborationMode/list", {});
    assertType<Equal<typeof modes, ExperimentalClientRequestResultMap["collaborationMode/list"]>>();
    expect(Array.isArray(modes.data)).toBe(true);
    const echo = await codex.request("mock/experimentalMethod", { value: "ping" });
    expect(echo.echoed).toBe("ping");
    expect(wire.count("collaborationMode/list")).toBe(1);
    // A mistyped experimental param is still refused locally, with the usual InvalidInputError.
    const bad = { threadId: 42 } as unknown as ExperimentalClientRequestParamsMap["thread/queue/list"];
    await expect(codex.request("thread/queue/list", bad)).rejects.toMatchObject({ name: "InvalidInputError", path: "threadId" });
    expect(wire.count("thread/queue/list")).toBe(0);
  });

  it("with experimentalApi: true, threadStart takes dynamicTools: validated, accepted by the server, offered to the model", async () => {
    const { codex, wire } = await counted(true);
    const thread = await codex.threadStart({ cwd: h.cwd, dynamicTools: [weatherTool] });
    expect(wire.count("thread/start")).toBe(1);
    const result = await thread.run("hello");
    expect(result.finalResponse).toBe("echo: hello");
    const offered = JSON.stringify(h.fake.requests[h.fake.requests.length - 1]?.["tools"]);
    expect(offered).toContain("get_weather");
    // A tool spec that does not match the protocol is refused before sending.
    const broken = [{ type: "function", name: "x" }] as unknown as NonNullable<ExperimentalClientRequestParamsMap["thread/start"]["dynamicTools"]>;
    await expect(codex.threadStart({ cwd: h.cwd, dynamicTools: broken })).rejects.toMatchObject({ name: "InvalidInputError", path: "dynamicTools.0.description" });
    expect(wire.count("thread/start")).toBe(1);
  });

  it("without experimentalApi, an experimental method and field are refused locally with ExperimentalApiRequiredError: nothing is sent", async () => {
    const { codex, wire } = await counted(false);
    const before = wire.methods.length;
    // @ts-expect-error a stable client's request does not know the experimental methods
    const method = codex.request("collaborationMode/list", {});
    await expect(method).rejects.toBeInstanceOf(ExperimentalApiRequiredError);
    await expect(method).rejects.toThrow("collaborationMode/list is an experimental method: start the client with Codex.start({ experimentalApi: true }); nothing was sent");

    // @ts-expect-error nor the experimental fields of a stable method
    const field = codex.threadStart({ cwd: h.cwd, dynamicTools: [weatherTool] });
    await expect(field).rejects.toBeInstanceOf(InvalidInputError);
    await expect(field).rejects.toMatchObject({ name: "ExperimentalApiRequiredError", method: "thread/start", path: "dynamicTools" });
    await expect(field).rejects.toThrow(/experimentalApi: true/);

    const raw = { cwd: h.cwd, dynamicTools: [weatherTool] } as ThreadStartParams;
    await expect(codex.request("thread/start", raw)).rejects.toBeInstanceOf(ExperimentalApiRequiredError);
    expect(wire.methods.slice(before)).toEqual([]);
  });

  it("the server itself refuses an experimental field from a client without the capability (why it is refused before sending)", async () => {
    const { codex } = await counted(false);
    const raw = { cwd: h.cwd, dynamicTools: [weatherTool] } as ThreadStartParams;
    const sent = codex.request("thread/start", raw, { skipParamsValidation: true });
    await expect(sent).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(sent).rejects.toThrow(/dynamicTools requires experimentalApi capability/);
  });
});
