// Client-side tools: a TypeScript function the model can call, its arguments typed by zod.
//   npx tsx samples/tools.ts          (the fake model when no credentials: CODEX_RX_FAKE=1 forces it)
import { z } from "zod";
import { tool } from "codex-rx";
import { output, reply } from "codex-rx/testing";
import { startSampleCodex } from "./support/sampleCodex.js";

const getWeather = tool({
  name: "get_weather",
  description: "The current weather of a city.",
  parameters: z.object({ city: z.string(), unit: z.enum(["celsius", "fahrenheit"]).default("celsius") }),
  timeoutMs: 10_000, // answered success: false (and `signal` aborts) if it takes longer
  execute: async ({ city, unit }, { signal }) => {
    // A real tool would fetch(url, { signal }): the signal aborts when the turn ends or is interrupted.
    signal.throwIfAborted();
    const celsius = 18 + (city.length % 10);
    return { city, temperature: unit === "celsius" ? celsius : Math.round(celsius * 1.8 + 32), unit, sky: "sunny" };
  },
});

// Tools are experimental on the app-server: the client opts in.
await using sample = await startSampleCodex({ experimentalApi: true });
const { codex, fake } = sample;
// The fake model calls the tool, then answers with what it got.
fake?.enqueue(reply.stream([output.functionCall("get_weather", { city: "Lisbon" })]), reply.text("It is sunny in Lisbon, about 24 °C."));

// Every call and the answer sent for it; `error` holds what a failing execute threw.
codex.toolCalls$.subscribe(({ call, status, response, durationMs }) =>
  console.log(`[tool] ${call.tool}(${JSON.stringify(call.arguments)}) → ${status} in ${durationMs} ms: ${JSON.stringify(response.contentItems)}`),
);

const thread = await codex.threadStart({ cwd: process.cwd(), tools: [getWeather] });
const result = await thread.run("What is the weather in Lisbon? Use the get_weather tool.");
const call = result.items.find((item) => item.type === "dynamicToolCall");
console.log(`item: ${call?.type} ${call?.status}`);
console.log(result.finalResponse);
