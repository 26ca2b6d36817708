import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { defer, delay, firstValueFrom, forkJoin, lastValueFrom, filter, map, take, takeUntil, toArray } from "rxjs";
import { InvalidInputError, TransportClosedError, ofMethod, type Codex } from "../../src/index.js";
import { reply } from "../../src/testing/index.js";
import { useHarness, type Harness } from "./harness.js";

// run$, watch$ and review on the real app-server (APP-SERVER-NOTES, "Beyond the conversation").
let h: Harness;
let codex: Codex;
useHarness((harness, client) => {
  h = harness;
  codex = client as Codex;
}, { startClient: true });

describe("thread.run$ (real app-server)", () => {
  it("emits the turn's result, one per subscription", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    const result = await firstValueFrom(thread.run$("hello"));
    expect(result.finalResponse).toBe("echo: hello");
  });

  it("unsubscribing (takeUntil) interrupts the turn on the server; the thread stays usable", async () => {
    h.fake.enqueue(reply.hang({ text: "partial " }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const completed = firstValueFrom(codex.notifications$.pipe(ofMethod("turn/completed"), filter((n) => n.params.threadId === thread.id)));
    const before = h.fake.requests.length;
    const out = await lastValueFrom(thread.run$("never ends").pipe(takeUntil(defer(() => h.fake.waitForRequests(before + 1)).pipe(delay(200))), toArray()));
    expect(out).toEqual([]);
    expect((await completed).params.turn.status).toBe("interrupted");
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
  });

  it("in forkJoin, a failing turn interrupts the turns still running", async () => {
    h.fake.enqueue(reply.hang());
    const a = await codex.threadStart({ cwd: h.cwd });
    const aDone = firstValueFrom(codex.notifications$.pipe(ofMethod("turn/completed"), filter((n) => n.params.threadId === a.id)));
    const before = h.fake.requests.length;
    // The sibling fails once a's model call hangs on the server.
    const sibling = defer(() => h.fake.waitForRequests(before + 1)).pipe(map(() => { throw new Error("sibling failed"); }));
    const failure = await lastValueFrom(forkJoin([a.run$("hang"), sibling])).catch((e: unknown) => e);
    expect(failure).toEqual(new Error("sibling failed"));
    expect((await aDone).params.turn.status).toBe("interrupted");
  });
});

describe("codex.watch$ (real app-server)", () => {
  it("emits fs/changed for a write under the watched folder, and unwatches on unsubscribe", async () => {
    const dir = path.join(h.cwd, "watched");
    await mkdir(dir, { recursive: true });
    const change = firstValueFrom(codex.watch$(dir).pipe(take(1)));
    // fs/watch has answered once a notification could reach us; give the watcher a moment to arm.
    await new Promise((r) => setTimeout(r, 300));
    await writeFile(path.join(dir, "a.txt"), "hi");
    const { changedPaths } = await change;
    expect(changedPaths.some((p) => p.endsWith("a.txt"))).toBe(true);
  });

  it("refuses a relative path before anything is sent", async () => {
    await expect(firstValueFrom(codex.watch$("relative/dir"))).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("errors with TransportClosedError when the client closes", async () => {
    const other = await h.start();
    const watching = firstValueFrom(other.watch$(h.cwd));
    await new Promise((r) => setTimeout(r, 200));
    await other.close();
    await expect(watching).rejects.toBeInstanceOf(TransportClosedError);
  });
});

describe("thread.review (real app-server)", () => {
  it("runs a review turn; its result carries the review text", async () => {
    execFileSync("git", ["init", "-q"], { cwd: h.cwd });
    await writeFile(path.join(h.cwd, "review-me.txt"), "x");
    h.fake.enqueue(reply.text("No issues found in the diff."));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const review = await thread.review({ type: "uncommittedChanges" });
    expect(review.threadId).toBe(thread.id);
    const result = await review.run();
    expect(result.status).toBe("completed");
    expect(result.items.map((i) => i.type)).toEqual(expect.arrayContaining(["enteredReviewMode", "exitedReviewMode"]));
    expect(result.review).toContain("No issues found in the diff.");
  });

  it("interrupts a review: its handle sees the child turn's start and interrupts it by that id", async () => {
    h.fake.enqueue(reply.hang({ text: "partial " }));
    const thread = await codex.threadStart({ cwd: h.cwd });
    const before = h.fake.requests.length;
    const review = await thread.review({ type: "custom", instructions: "review the plan" });
    const started = await firstValueFrom(review.events$.pipe(ofMethod("turn/started")));
    // The server runs a review as a child turn: announced under an id of its own, rooted at the answered one.
    expect(started.params.turn.id).not.toBe(review.id);
    expect(started.params.turn.rootTurnId).toBe(review.id);
    await h.fake.waitForRequests(before + 1);
    await review.interrupt();
    const result = await review.run();
    expect(result.status).toBe("interrupted");
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
  });

  it("refuses an unknown target before anything is sent", async () => {
    const thread = await codex.threadStart({ cwd: h.cwd });
    await expect(thread.review({ type: "lastCommit" } as never)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe("codex.fs (real app-server)", () => {
  it("writes, reads, lists, describes, copies and removes files on the server's machine", async () => {
    const dir = path.join(h.cwd, "fs-calls");
    await codex.fs.createDirectory(dir, { recursive: true });
    await codex.fs.writeFile(path.join(dir, "a.txt"), "héllo ✓");
    expect(await codex.fs.readTextFile(path.join(dir, "a.txt"))).toBe("héllo ✓");
    await codex.fs.copy(path.join(dir, "a.txt"), path.join(dir, "b.txt"));
    expect((await codex.fs.readDirectory(dir)).map((e) => e.fileName).sort()).toEqual(["a.txt", "b.txt"]);
    expect(await codex.fs.getMetadata(path.join(dir, "b.txt"))).toMatchObject({ isFile: true, isDirectory: false });
    await codex.fs.remove(dir, { recursive: true });
    await expect(codex.fs.getMetadata(dir)).rejects.toMatchObject({ code: -32603 });
  });
});
