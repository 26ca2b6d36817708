// Fault injection, the user gets Codex.start's own options wrong: the error comes before anything is
// spawned. The "binary" here is a script that leaves a mark when it runs, so a spawn would show.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Codex, InvalidInputError, TransportClosedError, type CodexOptions } from "../../src/index.js";
import { badInput, reportFaults } from "./faultTally.js";

let dir: string;
let marker: string;
let codexPath: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "codex-rx-start-options-"));
  marker = path.join(dir, "spawned");
  codexPath = path.join(dir, "codex");
  writeFileSync(codexPath, `#!/bin/sh\ntouch '${marker}'\nexit 3\n`);
  chmodSync(codexPath, 0o755);
});
afterEach(() => rmSync(marker, { force: true }));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  reportFaults(import.meta.url);
});

const bad: Array<[string, Record<string, unknown>]> = [
  ["a typo in approvals", { aprovals: {} }],
  ["a typo in experimentalApi", { expermentalApi: true }],
  ["a timeout given as a string", { requestTimeoutMs: "5" }],
  ["an approval callback under a mistyped method", { approvals: { "item/commandExecution/requestAproval": () => undefined } }],
];

describe("fault injection: a bad Codex.start option spawns nothing", () => {
  it.each(bad)("%s fails with InvalidInputError and the binary never runs", async (_what, options) => {
    const error: unknown = await Codex.start({ codexPath, ...options } as CodexOptions).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).message).toMatch(/^invalid Codex\.start input: .*; nothing was sent$/);
    expect(badInput(existsSync(marker) ? 1 : 0)).toBe(0);
  });

  it("the same options spelt right do run it (the mark could have been left)", async () => {
    const error: unknown = await Codex.start({ codexPath, approvals: {}, experimentalApi: true, requestTimeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportClosedError);
    expect(existsSync(marker)).toBe(true);
  });
});
