// Approvals: the server asks before running a command; you answer from a terminal prompt.
// The handler is typed per method and may return a value, a Promise or an Observable.
//   npx tsx samples/approvals.ts            (answers y/n at the prompt; CODEX_RX_AUTO=y|n answers for you;
//                                            with stdin not a terminal, it declines and says so)
import { mkdtemp, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline/promises";
import { Sandbox, type ApprovalHandler } from "codex-rx";
import { output, reply } from "codex-rx/testing";
import { startSampleCodex } from "./support/sampleCodex.js";

async function ask(question: string): Promise<boolean> {
  const auto = process.env["CODEX_RX_AUTO"];
  if (auto === "y" || auto === "n") {
    console.log(`${question} ${auto} (CODEX_RX_AUTO)`);
    return auto === "y";
  }
  if (!process.stdin.isTTY) {
    // Nobody can answer a prompt on a pipe or /dev/null: decline at once rather than wait forever.
    console.log(`${question} n (stdin is not a terminal, so declined; set CODEX_RX_AUTO=y to approve)`);
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y/i.test(await rl.question(`${question} [y/N] `));
  } finally {
    rl.close();
  }
}

const approvals: ApprovalHandler = {
  "item/commandExecution/requestApproval": async ({ command, cwd, reason }) => {
    const yes = await ask(`\nRun \`${command ?? "?"}\` in ${cwd ?? "?"}${reason ? ` (${reason})` : ""}?`);
    return { decision: yes ? "accept" : "decline" };
  },
  "item/fileChange/requestApproval": async ({ reason }) => ({ decision: (await ask(`\nApply file changes${reason ? ` (${reason})` : ""}?`)) ? "accept" : "decline" }),
};

await using sample = await startSampleCodex({ approvals });
const { codex, fake } = sample;
codex.serverRequests$.subscribe(({ request, response }) => console.log(`[server asked ${request.method}; we answered ${JSON.stringify(response)}]`));

const dir = await mkdtemp(path.join(os.tmpdir(), "codex-rx-approvals-"));
await using _removeDir = { [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
const file = path.join(dir, "hello.txt");
// The fake model asks the shell tool to create the file, then answers.
fake?.enqueue(reply.stream([output.execCommand(`touch ${file}`)]), reply.text("I tried to create hello.txt."));

// "untrusted": every command that is not known to be safe needs an approval, and the reviewer
// is the user — you. (ApprovalMode.askUser is on-request: the model decides when to ask.)
const thread = await codex.threadStart({ cwd: dir, approvalPolicy: "untrusted", approvalsReviewer: "user", sandbox: Sandbox.workspace });
const turn = await thread.turn(`Create an empty file named hello.txt in ${dir}.`);
const result = await turn.run();

const command = result.items.find((item) => item.type === "commandExecution");
console.log(`\ncommand status: ${command?.type === "commandExecution" ? command.status : "none"} · file exists: ${existsSync(file)}`);
console.log(`answer: ${result.finalResponse}`);
