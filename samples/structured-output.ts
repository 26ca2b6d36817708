// Structured output: give the turn a zod schema; the answer comes back parsed, validated and typed.
//   npx tsx samples/structured-output.ts
import { z } from "zod";
import { StructuredOutputError } from "codex-rx";
import { reply } from "codex-rx/testing";
import { startSampleCodex } from "./support/sampleCodex.js";

const Release = z.object({
  version: z.string(),
  breaking: z.boolean(),
  highlights: z.array(z.string()).max(3),
});

await using sample = await startSampleCodex();
const { codex, fake } = sample;
fake?.enqueue(reply.text(JSON.stringify({ version: "2.0.0", breaking: true, highlights: ["One hot stream", "run() is a reduce"] })));

const thread = await codex.threadStart({ cwd: process.cwd() });
try {
  // outputSchema: a zod schema is sent as JSON Schema (z.toJSONSchema) and validates the answer.
  const result = await thread.run("Summarize the next release of codex-rx.", { outputSchema: Release });
  const release = result.structuredOutput; // typed: { version: string; breaking: boolean; highlights: string[] } | null
  console.log(`v${release?.version} · breaking: ${release?.breaking}`);
  for (const h of release?.highlights ?? []) console.log(` - ${h}`);
} catch (error) {
  if (error instanceof StructuredOutputError) console.error("the model's answer did not match the schema:", error.issues);
  else throw error;
}
