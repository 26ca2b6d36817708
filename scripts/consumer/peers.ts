// The peer dependencies, tried as a user has them: for the lowest and the newest version of each
// declared range, a fresh project installs the packed codex-rx next to its own rxjs and zod, then
// type-checks and runs a program that mixes them (the app's Observable, operators and zod schema
// with codex-rx's streams and outputSchema) on the kit's fake model, and lists its copies.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { check, failed, passed, run, type RunResult } from "./run.js";

/** The program each peer project compiles and runs: every line that could break with two copies. */
const PEER_PROGRAM = `import assert from "node:assert/strict";
import { Observable, filter, firstValueFrom, lastValueFrom, toArray } from "rxjs";
import { z } from "zod";
import { Codex } from "codex-rx";
import { codexHomeFor, reply, startFakeResponses } from "codex-rx/testing";

await using fake = await startFakeResponses();
await using home = await codexHomeFor(fake);
await using codex = await Codex.start({ env: home.env });
// One rxjs: the client's streams are the app's Observables, and the app's operators apply.
assert.ok(codex.notifications$ instanceof Observable, "codex.notifications$ is not the app's Observable");
const thread = await codex.threadStart();
const turn = await thread.turn("hi");
assert.ok(turn.events$ instanceof Observable);
const methods = await lastValueFrom(turn.events$.pipe(filter((n) => n.method === "turn/completed"), toArray()));
assert.equal(methods.length, 1);
assert.equal((await firstValueFrom(turn.result$)).finalResponse, "echo: hi");
// One zod: the app's schema is the outputSchema, sent as JSON Schema, the answer parsed and typed.
const Release = z.object({ version: z.string(), breaking: z.boolean() });
fake.enqueue(reply.text(JSON.stringify({ version: "2.0.0", breaking: true })));
const result = await thread.run("release?", { outputSchema: Release });
const release: { version: string; breaking: boolean } | null = result.structuredOutput;
assert.deepEqual(release, { version: "2.0.0", breaking: true });
const sent = JSON.stringify(fake.requests.at(-1));
assert.ok(sent.includes('"breaking"'), "the schema was not sent to the model");
console.log("rxjs and zod of the app work with codex-rx");
`;

const Range = z.record(z.string(), z.string());

/** The lowest and the newest published version a `^x.y.z` range admits. */
async function boundsOf(name: string, range: string, cwd: string): Promise<[string, string]> {
  const lowest = /^\^(\d+\.\d+\.\d+)$/.exec(range)?.[1];
  if (lowest === undefined) throw new Error(`${name}: only ^x.y.z peer ranges are checked, got ${range}`);
  const view = await run("npm", ["view", `${name}@${range}`, "version", "--json"], { cwd });
  if (!view.ok) throw new Error(`npm view ${name}@${range} failed:\n${view.output}`);
  const listed = JSON.parse(view.output) as unknown;
  // npm lists them in no particular order: sort by version.
  const byVersion = (a: string, b: string): number => {
    const [pa, pb] = [a, b].map((v) => v.split(".").map(Number));
    for (let i = 0; i < 3; i++) if (pa![i] !== pb![i]) return pa![i]! - pb![i]!;
    return 0;
  };
  const versions = z.array(z.string()).parse(Array.isArray(listed) ? listed : [listed]).filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort(byVersion);
  const newest = versions.at(-1);
  if (newest === undefined || !versions.includes(lowest)) throw new Error(`${name}@${range}: ${lowest} is not published`);
  return [lowest, newest];
}

/**
 * For the lowest and the newest versions of codex-rx's peer ranges, a fresh project: install, one
 * copy of each peer in `npm ls`, the program above type-checks (TypeScript `typescript`) and runs.
 *
 * @param repo the repository (its package.json declares the peers)
 * @param tmp the check's temporary directory
 * @param tarball the packed codex-rx
 * @param typescript the TypeScript version to type-check with
 * @returns nothing; each step is a `check` of its own
 */
export async function checkPeers(repo: string, tmp: string, tarball: string, typescript: string): Promise<void> {
  const peers = Range.parse((JSON.parse(readFileSync(path.join(repo, "package.json"), "utf8")) as { peerDependencies?: unknown }).peerDependencies ?? {});
  const bounds = new Map<string, [string, string]>();
  for (const [name, range] of Object.entries(peers)) bounds.set(name, await boundsOf(name, range, repo));
  for (const [end, index] of [["lowest", 0], ["newest", 1]] as const) {
    const chosen = Object.fromEntries([...bounds].map(([name, b]) => [name, b[index]]));
    const label = `peers at their ${end} (${Object.entries(chosen).map(([n, v]) => `${n} ${v}`).join(", ")})`;
    const app = path.join(tmp, `peers-${end}`);
    mkdirSync(app, { recursive: true });
    writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: `peers-${end}`, private: true, type: "module", dependencies: { "codex-rx": `file:${tarball}`, ...chosen }, devDependencies: { typescript, "@types/node": `^${process.versions.node.split(".")[0]}` } }, null, 2));
    writeFileSync(path.join(app, "tsconfig.json"), JSON.stringify({ compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, skipLibCheck: false, types: ["node"], outDir: "build" }, include: ["peers.ts"] }));
    writeFileSync(path.join(app, "peers.ts"), PEER_PROGRAM);
    const installed = await check(`${label}: npm install`, () => run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: app }));
    if (!installed) continue;
    await check(`${label}: one copy of each in the tree (npm ls)`, async () => oneCopy(await run("npm", ["ls", ...Object.keys(chosen), "--all", "--json", "--loglevel=error"], { cwd: app }), chosen));
    const compiled = await check(`${label}: the app's Observable and zod schema type-check with codex-rx`, () => run(process.execPath, [path.join(app, "node_modules", "typescript", "bin", "tsc"), "-p", "."], { cwd: app }));
    if (compiled) await check(`${label}: they run together on the fake model`, () => run(process.execPath, ["build/peers.js"], { cwd: app, timeoutMs: 90_000 }));
  }
}

/** Every version of each peer found anywhere in `npm ls --all --json`: exactly the chosen one. */
function oneCopy(ls: RunResult, chosen: Readonly<Record<string, string>>): RunResult {
  if (!ls.ok) return ls;
  const found = new Map<string, Set<string>>();
  const walk = (deps: unknown): void => {
    if (deps === null || typeof deps !== "object") return;
    for (const [name, node] of Object.entries(deps as Record<string, { version?: string; dependencies?: unknown }>)) {
      if (name in chosen && typeof node.version === "string") found.set(name, (found.get(name) ?? new Set()).add(node.version));
      walk(node.dependencies);
    }
  };
  walk((JSON.parse(ls.output) as { dependencies?: unknown }).dependencies);
  const wrong = Object.entries(chosen).filter(([name, version]) => [...(found.get(name) ?? [])].join() !== version);
  return wrong.length === 0 ? passed(Object.entries(chosen).map(([n, v]) => `${n}@${v}`).join(", ")) : failed(wrong.map(([n, v]) => `${n}: wanted only ${v}, found ${[...(found.get(n) ?? [])].join(", ") || "none"}`).join("; "));
}
