// npx tsx samples/experimental.ts
//
// The app-server's experimental surface, typed: a client started with `experimentalApi: true` is a
// Codex<"experimental">, whose `request` and thread options take the experimental methods and
// fields (validated like the stable ones). A client without it refuses them itself, nothing sent.
// No model is called, so no credentials are needed (a throwaway CODEX_HOME is used).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Codex, ExperimentalApiRequiredError } from "codex-rx";

const home = await mkdtemp(path.join(os.tmpdir(), "codex-rx-sample-home-"));
const env = { CODEX_HOME: home };
try {
  // Experimental: the methods and fields of `generate-json-schema --experimental`, typed.
  await using lab = await Codex.start({ env, experimentalApi: true });
  const { data } = await lab.request("collaborationMode/list", {});
  console.log("collaboration modes:", data.map((mode) => mode.name).join(", ") || "(none)");

  const thread = await lab.threadStart({
    cwd: process.cwd(),
    dynamicTools: [
      {
        type: "function",
        name: "get_weather",
        description: "The weather in a city.",
        inputSchema: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    ],
  });
  console.log("thread with a client-side tool:", thread.id);

  // Stable (the default): the same calls are refused before anything is written.
  await using plain = await Codex.start({ env });
  try {
    // @ts-expect-error the stable types have no dynamicTools either
    await plain.threadStart({ cwd: process.cwd(), dynamicTools: [] });
  } catch (error) {
    if (!(error instanceof ExperimentalApiRequiredError)) throw error;
    console.log(`refused: ${error.message}`);
  }
} finally {
  await rm(home, { recursive: true, force: true });
}
