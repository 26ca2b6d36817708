// Shared by the progress UI samples: on the fake model, a turn with more to show than one text
// answer. The model first says what it will do (a `commentary` message), calls the shell tool,
// and once the app-server has run the command and sent its output back, streams the final answer.
import { output, reply, type FakeReply, type FakeResponses, type JsonValue, type ResponsesRequestBody } from "codex-rx/testing";

/** The final answer of the scripted turn; the screenshot script checks that the page shows it. */
export const SCRIPTED_FINAL_ANSWER =
  "The samples folder holds one runnable program per topic. Each of them starts the real app-server, " +
  "and what you see here was drawn only from turn.progress$: one TurnState snapshot per notification.";

function isToolOutput(value: JsonValue | undefined): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "type" in value && value["type"] === "function_call_output";
}

/**
 * The fake model's answer to one request: a commentary message and an `ls samples` tool call for
 * a new prompt, the final answer once the request carries the command's output. Stateless, so
 * concurrent turns (several browser tabs) each get the whole script.
 *
 * @param request the Responses API request the app-server sent
 * @returns the reply
 */
export function scriptedReply(request: ResponsesRequestBody): FakeReply {
  const input = request["input"];
  const last = Array.isArray(input) ? (input as readonly JsonValue[]).at(-1) : undefined;
  if (isToolOutput(last)) return reply.text(SCRIPTED_FINAL_ANSWER, { delayMs: 40 });
  return reply.stream([
    output.message("Let me look at the samples folder first.", { phase: "commentary", delayMs: 60 }),
    output.execCommand("ls samples"),
  ]);
}

/**
 * Makes the fake model answer every request with {@link scriptedReply}.
 *
 * @param fake the fake model of `startSampleCodex()` (nothing to do on a real model)
 */
export function useScriptedTurn(fake: FakeResponses | undefined): void {
  if (fake !== undefined) fake.respond = scriptedReply;
}
