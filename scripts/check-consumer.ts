// The packed package as a user gets it: `npm pack`, installed into one fresh project next to the
// latest TypeScript 5.9, 6 and 7 from the registry, then for each TypeScript, with skipLibCheck off
// and "types": ["node"]: type-check the README's Quick start (extracted from README.md as a reader
// copies it), every sample in samples/ and the kit test of docs/testing.md; run the Quick start
// against the kit's fake model (through CODEX_HOME, so the pasted code is unchanged) and the kit
// test on node:test. Then the vitest and jest versions of that test (docs/testing.md) run in the
// same project. Not part of `npm test`; `.ci/run` runs it after the suite.
//   npm run check:consumer
//   CHECK_CONSUMER_KEEP=1 npm run check:consumer   # keep the temp project to look into a failure
//   npm run check:consumer -- --peers-only         # pack, the tarball's links, and the peer ranges only
// The peer check installs the lowest and the newest rxjs and zod of the declared peer ranges, each
// pair in a fresh project (scripts/consumer/peers.ts); the packed Markdown's links must resolve.
// Exit codes: 0 every check passed; 1 a check failed (the summary says which).
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { firstCodeBlock } from "./consumer/codeBlocks.js";
import { checkPackedLinks } from "./consumer/packedLinks.js";
import { checkPeers } from "./consumer/peers.js";
import { check, cleanup, declaredTests, expectTests, failed, makeTempDir, outcomes, passed, run, type RunResult } from "./consumer/run.js";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The TypeScript lines checked: the newest release of each, as the registry lists them today. */
const TYPESCRIPT_LINES = ["5.9", "6", "7"] as const;
const RUN_TIMEOUT_MS = 90_000;

// ── the registry ──────────────────────────────────────────────────────────────────────────────

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/** The newest stable release of each TypeScript line, from `npm view typescript versions`. */
async function typescriptVersions(): Promise<Map<string, string>> {
  const view = await run("npm", ["view", "typescript", "versions", "--json"], { cwd: REPO });
  if (!view.ok) throw new Error(`npm view typescript versions failed:\n${view.output}`);
  const versions = z.array(z.string()).parse(JSON.parse(view.output)).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
  const picked = new Map<string, string>();
  for (const line of TYPESCRIPT_LINES) {
    const newest = versions.filter((v) => v.startsWith(`${line}.`)).sort(compareVersions).at(-1);
    if (newest === undefined) throw new Error(`the registry has no typescript ${line}.x release`);
    picked.set(line, newest);
  }
  return picked;
}

/** vitest 5 needs Node 22.12 or later; on older Node the newest vitest 4. */
function vitestRange(): string {
  const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
  return major > 22 || (major === 22 && minor >= 12) ? "latest" : "^4";
}

// ── the consumer project ──────────────────────────────────────────────────────────────────────

const PackageJson = z.object({
  version: z.string(),
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
});

function readPackage(dir: string): z.infer<typeof PackageJson> {
  return PackageJson.parse(JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8")));
}

/** The `tsc` entry of an installed TypeScript package, and whether it is a Node script. */
function tscOf(app: string, alias: string): { command: string; args: string[] } {
  const dir = path.join(app, "node_modules", alias);
  const { bin } = readPackage(dir);
  const relative = typeof bin === "string" ? bin : bin?.["tsc"];
  if (relative === undefined) throw new Error(`${alias} has no tsc bin`);
  const file = path.join(dir, relative);
  const isNodeScript = readFileSync(file, "utf8").slice(0, 200).includes("node");
  return isNodeScript ? { command: process.execPath, args: [file] } : { command: file, args: [] };
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** What a consumer's tsconfig needs, and no more: the base every project here extends. */
const CONSUMER_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  skipLibCheck: false,
  types: ["node"],
};

// The Quick start runs as pasted; this wrapper gives it a fake model through CODEX_HOME and checks
// that the model was asked. It uses the installed package's kit, as a user's own harness would.
const RUN_WITH_FAKE_MODEL = `import { spawn } from "node:child_process";
import { codexHomeFor, startFakeResponses } from "codex-rx/testing";

const [script] = process.argv.slice(2);
const fake = await startFakeResponses();
const home = await codexHomeFor(fake);
let code;
try {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...home.env }, stdio: ["ignore", "inherit", "inherit"] });
  code = await new Promise((resolve) => child.on("close", (exit, signal) => resolve(exit ?? signal)));
  console.log(\`(the fake model got \${fake.requests.length} request(s))\`);
  if (code === 0 && fake.requests.length === 0) {
    console.error("the Quick start exited without asking the model anything");
    code = 1;
  }
} finally {
  await home.cleanup();
  await fake.close();
}
process.exitCode = code === 0 ? 0 : 1;
`;

interface Project {
  readonly app: string;
  readonly testingDoc: string;
}

function writeProject(tmp: string, tarball: string, ts: Map<string, string>): Project {
  const app = path.join(tmp, "app");
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const testingDoc = readFileSync(path.join(REPO, "docs", "testing.md"), "utf8");
  const nodeMajor = process.versions.node.split(".")[0];
  const devDependencies: Record<string, string> = {
    "@types/node": `^${nodeMajor}`,
    // the jest route: ts-jest 29 requires typescript < 7, so jest's project is on TypeScript 6
    typescript: ts.get("6") ?? "6",
    jest: "^30",
    "@jest/globals": "^30",
    "@types/jest": "^30",
    "ts-jest": "^29",
    vitest: vitestRange(),
  };
  for (const [line, version] of ts) devDependencies[`typescript-${line}`] = `npm:typescript@${version}`;
  write(
    path.join(app, "package.json"),
    json({
      name: "codex-rx-consumer-check",
      private: true,
      type: "module",
      dependencies: { "codex-rx": `file:${tarball}` },
      devDependencies,
    }),
  );
  write(path.join(app, "tsconfig.base.json"), json({ compilerOptions: CONSUMER_COMPILER_OPTIONS }));

  // (a) the README's Quick start, as pasted
  write(path.join(app, "quickstart", "quickstart.ts"), firstCodeBlock(readme, "## Quick start", "ts"));
  write(path.join(app, "quickstart", "tsconfig.json"), json({ extends: "../tsconfig.base.json", include: ["quickstart.ts"] }));
  write(path.join(app, "run-with-fake-model.mjs"), RUN_WITH_FAKE_MODEL);

  // (b) every sample, with its support files; the jest spec among them gets jest's globals
  cpSync(path.join(REPO, "samples"), path.join(app, "samples"), { recursive: true });
  write(
    path.join(app, "samples", "tsconfig.json"),
    json({ extends: "../tsconfig.base.json", include: ["**/*.ts"], exclude: ["testing"] }),
  );
  write(
    path.join(app, "samples", "testing", "tsconfig.json"),
    json({ extends: "../../tsconfig.base.json", compilerOptions: { types: ["node", "jest"] }, include: ["**/*.ts"] }),
  );

  // (c) the kit test of docs/testing.md, on node:test: its own tsconfig from the page, with our base
  const nodeTestConfig = z
    .object({ compilerOptions: z.record(z.string(), z.unknown()), include: z.array(z.string()) })
    .parse(JSON.parse(firstCodeBlock(testingDoc, "## node:test", "json")));
  write(
    path.join(app, "node-test", "tsconfig.test.json"),
    json({ ...nodeTestConfig, compilerOptions: { ...nodeTestConfig.compilerOptions, skipLibCheck: false } }),
  );
  write(path.join(app, "node-test", "test", "statusLine.test.ts"), firstCodeBlock(testingDoc, "## node:test", "ts"));

  // the same test on vitest and on jest, as the page shows them
  write(path.join(app, "vitest", "test", "statusLine.test.ts"), firstCodeBlock(testingDoc, "## vitest", "ts"));
  write(path.join(app, "jest", "jest.config.js"), firstCodeBlock(testingDoc, "## jest", "js"));
  write(path.join(app, "jest", "test", "statusLine.test.ts"), firstCodeBlock(testingDoc, "## jest", "ts"));
  return { app, testingDoc };
}

// ── checks of the package itself ──────────────────────────────────────────────────────────────

async function checkTarball(tarball: string): Promise<RunResult> {
  const list = await run("tar", ["-tzf", tarball], { cwd: REPO });
  if (!list.ok) return list;
  const files = new Set(list.output.split("\n").filter(Boolean));
  const missing = ["LICENSE", "README.md", "package.json", "dist/index.js", "dist/index.d.ts", "dist/advanced.js", "dist/advanced.d.ts", "dist/testing/index.js"]
    .map((f) => `package/${f}`)
    .filter((f) => !files.has(f));
  // The guides and samples ship (the README links to them); the sources, specs and scripts do not.
  const extra = [...files].filter((f) => /^package\/(src|spec|scripts|docs\/api)\//.test(f));
  // A .js left in dist/ by an older build, whose source is gone, would ship too.
  const stale = [...files].filter((f) => /^package\/dist\/.*\.js$/.test(f) && !existsSync(path.join(REPO, "src", f.slice("package/dist/".length).replace(/\.js$/, ".ts"))));
  if (missing.length > 0 || extra.length > 0 || stale.length > 0) {
    return failed(
      `missing: ${missing.join(", ") || "none"}; not meant to ship: ${extra.slice(0, 10).join(", ") || "none"}; ` +
        `built from no source in src/: ${stale.slice(0, 10).join(", ") || "none"}`,
    );
  }
  return passed();
}

function checkInstalledPackage(app: string): RunResult {
  const pkg = path.join(app, "node_modules", "codex-rx");
  const license = readFileSync(path.join(pkg, "LICENSE"), "utf8");
  if (!/Apache License\s+Version 2\.0/.test(license)) return failed("LICENSE is not the Apache License 2.0");
  const problems: string[] = [];
  let maps = 0;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".map")) {
        maps++;
        const map = z
          .object({ sources: z.array(z.string()), sourcesContent: z.array(z.string().nullable()).optional() })
          .parse(JSON.parse(readFileSync(file, "utf8")));
        const content = map.sourcesContent ?? [];
        map.sources.forEach((source, i) => {
          const resolvable = typeof content[i] === "string" || existsSync(path.resolve(path.dirname(file), source));
          if (!resolvable) problems.push(`${path.relative(pkg, file)}: ${source} is neither shipped nor in sourcesContent`);
        });
      }
    }
  };
  walk(path.join(pkg, "dist"));
  if (problems.length > 0) return failed(problems.slice(0, 10).join("\n"));
  return passed(`${maps} source maps resolve`);
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const started = Date.now();
  const tmp = makeTempDir();
  const { version } = readPackage(REPO);
  console.log(`codex-rx ${version}: consumer check in ${tmp} (Node ${process.version})`);

  const ts = await typescriptVersions();
  console.log(`TypeScript: ${[...ts.values()].join(", ")}`);

  // npm pack runs prepack (the build) first.
  const packDir = path.join(tmp, "pack");
  mkdirSync(packDir);
  const packed = await check("npm pack", () => run("npm", ["pack", "--pack-destination", packDir, "--loglevel=warn"], { cwd: REPO }));
  const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
  if (!packed || tarball === undefined) return 1;
  const tarballPath = path.join(packDir, tarball);
  await check("the tarball ships dist (each file built from src/), README and LICENSE, not the sources", () => checkTarball(tarballPath));
  await check("every relative link of the packed Markdown resolves inside the tarball", () => checkPackedLinks(tarballPath, REPO));
  if (process.argv.includes("--peers-only")) {
    await checkPeers(REPO, tmp, tarballPath, ts.get("6") ?? "6");
    return summary(started);
  }

  const { app, testingDoc } = writeProject(tmp, tarballPath, ts);
  const testsIn = (heading: string): number => declaredTests(firstCodeBlock(testingDoc, heading, "ts"));
  // One install for everything; npm's cache (which `npm ci` already filled with the codex binary
  // package) is reused.
  const installed = await check("npm install (the tarball, @types/node, TypeScript " + [...ts.values()].join(" / ") + ", vitest, jest)", () =>
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], { cwd: app }),
  );
  if (!installed) return 1;
  await check("LICENSE and source maps (sourcesContent) in the installed package", async () => checkInstalledPackage(app));

  for (const [line, exact] of ts) {
    const tsc = tscOf(app, `typescript-${line}`);
    const tscRun = (args: readonly string[]): Promise<RunResult> => run(tsc.command, [...tsc.args, ...args], { cwd: app });
    const label = `TypeScript ${exact}`;
    const quickOut = path.join("build", `ts-${line}`, "quickstart");
    const quickCompiled = await check(`${label}: README Quick start type-checks`, () =>
      tscRun(["-p", "quickstart/tsconfig.json", "--outDir", quickOut]),
    );
    await check(`${label}: every sample type-checks`, () => tscRun(["-p", "samples/tsconfig.json", "--noEmit"]));
    await check(`${label}: samples/testing (jest globals) type-checks`, () => tscRun(["-p", "samples/testing/tsconfig.json", "--noEmit"]));
    const testOut = path.join("build", `ts-${line}`, "node-test");
    const testCompiled = await check(`${label}: docs/testing.md node:test kit test type-checks`, () =>
      tscRun(["-p", "node-test/tsconfig.test.json", "--outDir", testOut]),
    );
    const quickJs = path.join(app, quickOut, "quickstart.js");
    if (quickCompiled || existsSync(quickJs)) {
      await check(`${label}: README Quick start runs on the fake model`, () =>
        run(process.execPath, [path.join(app, "run-with-fake-model.mjs"), quickJs], { cwd: path.join(app, "quickstart"), timeoutMs: RUN_TIMEOUT_MS }),
      );
    }
    if (testCompiled) {
      await check(`${label}: the kit test passes on node:test`, async () =>
        expectTests(
          await run(process.execPath, ["--test", path.join(testOut, "statusLine.test.js")], { cwd: app, timeoutMs: RUN_TIMEOUT_MS }),
          testsIn("## node:test"),
          /^\S+ pass (\d+)$/m,
        ),
      );
    }
  }

  const vitest = path.join(app, "node_modules", "vitest", "vitest.mjs");
  await check(`vitest ${readPackage(path.dirname(vitest)).version}: the kit test passes`, async () =>
    expectTests(
      await run(process.execPath, [vitest, "run"], { cwd: path.join(app, "vitest"), timeoutMs: RUN_TIMEOUT_MS }),
      testsIn("## vitest"),
      /Tests\s+(\d+) passed/,
    ),
  );
  const jestDir = path.join(app, "node_modules", "jest");
  await check(`jest ${readPackage(jestDir).version} + ts-jest on TypeScript ${ts.get("6") ?? "6"}: the kit test passes`, async () =>
    expectTests(
      await run(process.execPath, ["--experimental-vm-modules", path.join(jestDir, "bin", "jest.js")], {
        cwd: path.join(app, "jest"),
        timeoutMs: RUN_TIMEOUT_MS,
      }),
      testsIn("## jest"),
      /Tests:\s+(\d+) passed/,
    ),
  );

  // The app's own rxjs and zod, at both ends of the peer ranges, in projects of their own.
  await checkPeers(REPO, tmp, tarballPath, ts.get("6") ?? "6");
  return summary(started);
}

function summary(started: number): number {
  const failures = outcomes.filter((o) => !o.ok);
  console.log(
    `\nconsumer check: ${outcomes.length - failures.length} passed, ${failures.length} failed, ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  for (const f of failures) console.log(`  failed: ${f.name}`);
  return failures.length === 0 ? 0 : 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
} finally {
  cleanup();
}
