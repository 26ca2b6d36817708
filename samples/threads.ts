// Thread operations: start, name, read, fork, list (pages as an Observable, or an async iterator),
// archive and unarchive, and the model list.
//   npx tsx samples/threads.ts
import { lastValueFrom, map, toArray } from "rxjs";
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

// Every page of the thread list as an Observable (lazy: a page is fetched when the previous was delivered) …
const ids = await lastValueFrom(codex.threadList$({ limit: 2 }).pipe(map((page) => page.data.map((t) => t.id)), toArray()));
console.log("pages of ids:", ids);
// … or every thread as an async iterator.
for await (const info of codex.threads({ searchTerm: "swordfish" })) console.log("search hit:", info.id, info.name ?? "(unnamed)");

await codex.threadArchive(fork.id);
console.log("archived:", (await codex.threadList({ archived: true })).data.map((t) => t.id));
await codex.threadUnarchive(fork.id);

const { data: models } = await codex.models();
console.log("models:", models.map((m) => m.id).join(", "));
