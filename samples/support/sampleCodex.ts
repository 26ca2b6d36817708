// Shared by the samples: start the real app-server, on a real model when credentials exist,
// else on codex-rx's embedded fake Responses API server (only the model is fake).
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Codex, type CodexOptions } from "codex-rx";
import { codexHomeFor, lastUserText, reply, startFakeResponses, type FakeResponses } from "codex-rx/testing";

/** A started Codex plus what it runs on; `await using` closes both. */
export interface SampleCodex extends AsyncDisposable {
  readonly codex: Codex;
  /** "real": your OpenAI credentials; "fake": the embedded fake model. */
  readonly model: "real" | "fake";
  close(): Promise<void>;
}

function hasCodexLogin(): boolean {
  const home = process.env["CODEX_HOME"] ?? path.join(os.homedir(), ".codex");
  return existsSync(path.join(home, "auth.json"));
}

/**
 * Starts Codex for a sample. Set CODEX_RX_FAKE=1 to force the fake model.
 *
 * @param options passed to `Codex.start`
 * @returns the client and which model it talks to
 */
export async function startSampleCodex(options: CodexOptions = {}): Promise<SampleCodex> {
  const apiKey = process.env["OPENAI_API_KEY"];
  const forceFake = process.env["CODEX_RX_FAKE"] === "1";
  if (!forceFake && (apiKey || hasCodexLogin())) {
    const codex = await Codex.start(options);
    if (apiKey) await codex.request("account/login/start", { type: "apiKey", apiKey });
    return { codex, model: "real", close: () => codex.close(), [Symbol.asyncDispose]: () => codex.close() };
  }
  process.stderr.write(
    "note: no OpenAI credentials (OPENAI_API_KEY or a Codex login) found, so this runs the real codex app-server\n" +
      "      against codex-rx's embedded fake Responses API server: only the model is fake.\n\n",
  );
  const fake: FakeResponses = await startFakeResponses({
    respond: (request) =>
      reply.text(
        `(fake model) You said: "${lastUserText(request) ?? ""}". Every word of this answer arrives as its own ` +
          "item/agentMessage/delta notification, and codex-rx folds them with scan(turnReducer) into the live text you see.",
        { delayMs: 25 },
      ),
  });
  const home = await codexHomeFor(fake);
  const codex = await Codex.start({ ...options, env: { ...home.env, ...options.env } });
  const close = async (): Promise<void> => {
    await codex.close();
    await fake.close();
    await home.cleanup();
  };
  return { codex, model: "fake", close, [Symbol.asyncDispose]: close };
}
