// Shared by the samples: start the real app-server, on a real model when credentials exist,
// else on codex-rx's embedded fake Responses API server (only the model is fake).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Codex, type StdioCodexOptions } from "codex-rx";
import { codexHomeFor, lastUserText, reply, startFakeResponses, type FakeResponses } from "codex-rx/testing";

/** A started Codex plus what it runs on; `await using` closes both. */
export interface SampleCodex extends AsyncDisposable {
  readonly codex: Codex;
  /** "real": your OpenAI credentials; "fake": the embedded fake model. */
  readonly model: "real" | "fake";
  /** The fake model, when `model` is "fake": samples script its replies with `fake.enqueue(...)`. */
  readonly fake?: FakeResponses;
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
export async function startSampleCodex(options: StdioCodexOptions = {}): Promise<SampleCodex> {
  const apiKey = process.env["OPENAI_API_KEY"];
  const forceFake = process.env["CODEX_RX_FAKE"] === "1";
  if (!forceFake && hasCodexLogin()) {
    // Your existing Codex login and config, used as they are: nothing is written to them.
    const codex = await Codex.start(options);
    return { codex, model: "real", close: () => codex.close(), [Symbol.asyncDispose]: () => codex.close() };
  }
  if (!forceFake && apiKey) {
    // Log the key in inside a throwaway CODEX_HOME, so a sample never rewrites ~/.codex/auth.json.
    const home = await mkdtemp(path.join(os.tmpdir(), "codex-rx-sample-home-"));
    const codex = await Codex.start({ ...options, env: { ...options.env, CODEX_HOME: home } });
    await codex.loginApiKey(apiKey);
    const close = async (): Promise<void> => {
      await codex.close();
      await rm(home, { recursive: true, force: true });
    };
    return { codex, model: "real", close, [Symbol.asyncDispose]: close };
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
  return { codex, model: "fake", fake, close, [Symbol.asyncDispose]: close };
}
