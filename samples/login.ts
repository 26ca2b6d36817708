// Logging in: an API key, a ChatGPT browser login, or a device code, chosen by a flag.
//   npx tsx samples/login.ts --api-key [KEY]     (KEY defaults to $OPENAI_API_KEY)
//   npx tsx samples/login.ts --chatgpt           (prints the URL to open; Ctrl-C cancels)
//   npx tsx samples/login.ts --device-code       (prints a code to enter; Ctrl-C cancels)
// Options: --wait SECONDS (how long an interactive login may take, default 120),
//          --real-home (log in to your real CODEX_HOME; by default a fresh temporary one is used,
//          so running this sample never logs you out of, or into, your own Codex).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Codex, CodexError, type LoginHandle } from "codex-rx";

const { values, positionals } = parseArgs({
  options: {
    "api-key": { type: "boolean" },
    chatgpt: { type: "boolean" },
    "device-code": { type: "boolean" },
    wait: { type: "string", default: "120" },
    "real-home": { type: "boolean" },
  },
  allowPositionals: true,
  strict: true,
});
const flows = (["api-key", "chatgpt", "device-code"] as const).filter((flow) => values[flow] === true);
if (flows.length !== 1) {
  console.error("usage: npx tsx samples/login.ts --api-key [KEY] | --chatgpt | --device-code  [--wait SECONDS] [--real-home]");
  process.exit(2);
}
const flow = flows[0];

const home = values["real-home"] ? undefined : await mkdtemp(path.join(os.tmpdir(), "codex-rx-login-sample-"));
const codex = await Codex.start(home === undefined ? {} : { env: { CODEX_HOME: home } });
console.log("CODEX_HOME:", codex.metadata.codexHome, home === undefined ? "(your real one)" : "(temporary)");

// The account as state: the current value now, then one per change (login, logout).
const watch = codex.account$.subscribe({
  next: ({ account }) => console.log("account$ →", account === null || account === undefined ? "logged out" : JSON.stringify(account)),
  error: (error: unknown) => console.error("account$ failed:", error),
});

async function interactive(login: LoginHandle): Promise<void> {
  const seconds = Number(values.wait);
  const timer = setTimeout(() => void login.cancel(), seconds * 1000);
  const onSigint = (): void => void login.cancel();
  process.once("SIGINT", onSigint);
  console.log(`waiting up to ${seconds} s for the login (Ctrl-C cancels)…`);
  const { success, error } = await login.wait();
  clearTimeout(timer);
  process.off("SIGINT", onSigint);
  console.log(success ? "logged in" : `not logged in: ${error ?? "unknown reason"}`);
}

try {
  switch (flow) {
    case "api-key": {
      const key = positionals[0] ?? process.env["OPENAI_API_KEY"];
      if (!key) throw new Error("--api-key needs a KEY argument or OPENAI_API_KEY");
      await codex.loginApiKey(key);
      console.log("account():", JSON.stringify((await codex.account()).account));
      break;
    }
    case "chatgpt": {
      const login = await codex.loginChatgpt();
      console.log("open this URL in a browser on this machine:\n ", login.authUrl);
      await interactive(login);
      break;
    }
    case "device-code": {
      // Needs auth.openai.com: without network this fails fast with a typed error (bounded by timeoutMs).
      const login = await codex.loginChatgptDeviceCode({ timeoutMs: 30_000 });
      console.log(`open ${login.verificationUrl} and enter the code ${login.userCode}`);
      await interactive(login);
      break;
    }
  }
  if (home !== undefined) {
    await codex.logout(); // the temporary home is deleted anyway; this shows account$ following it
  }
} catch (error) {
  console.error(error instanceof CodexError ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await new Promise((resolve) => setTimeout(resolve, 100)); // let account$ print the last change
  watch.unsubscribe();
  await codex.close();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
}
