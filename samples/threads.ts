// Thread operations: start, name, read, fork, list (a page awaited, or every thread iterated),
// archive and unarchive, and the model list.
//   npx tsx samples/threads.ts
import { startSampleCodex } from "./support/sampleCodex.js";

await using sample = await startSampleCodex();
const { codex } = sample;

const thread = await codex.threadStart({ cwd: process.cwd() });
await thread.run("Remember: the password is swordfish.");
await thread.setName("Secrets");

const read = await thread.read({ includeTurns: true });
console.log(`"${read.name}" has ${read.turns.length} turn(s)`);

// A fork continues from the same history; the original is untouched.
const fork = await codex.threadFork(thread.id);
console.log(`forked ${thread.id} → ${fork.id}: ${(await fork.run("What is the password?")).finalResponse}`);

// One page of the thread list, awaited …
const { data, nextCursor } = await codex.threadList({ limit: 2 });
console.log("first page:", data.map((t) => t.id), nextCursor === null ? "(the only one)" : "(more follow)");
// … or every thread of every page, iterated (a page is fetched when the previous one was read).
for await (const info of codex.threadList({ searchTerm: "swordfish" })) console.log("search hit:", info.id, info.name ?? "(unnamed)");

await codex.threadArchive(fork.id);
console.log("archived:", (await codex.threadList({ archived: true })).data.map((t) => t.id));
await codex.threadUnarchive(fork.id);

const { data: models } = await codex.models();
console.log("models:", models.map((m) => m.id).join(", "));
