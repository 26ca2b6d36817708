import { Codex, InvalidInputError } from "../../src/index.js";
import { fakeAppServer } from "../../src/testing/index.js";

describe("codex.fs", () => {
  it("decodes readFile's base64 and encodes writeFile's data", async () => {
    const server = fakeAppServer();
    const files = new Map<string, string>();
    server.handle("fs/writeFile", ({ path, dataBase64 }) => (files.set(path, dataBase64), { result: {} }));
    server.handle("fs/readFile", ({ path }) => ({ result: { dataBase64: files.get(path) ?? "" } }));
    await using codex = await Codex.start({ transport: server.transport });
    await codex.fs.writeFile("/w/a.txt", "héllo ✓");
    expect(files.get("/w/a.txt")).toBe(Buffer.from("héllo ✓").toString("base64"));
    expect(await codex.fs.readTextFile("/w/a.txt")).toBe("héllo ✓");
    expect(Buffer.from(await codex.fs.readFile("/w/a.txt"))).toEqual(Buffer.from("héllo ✓"));
  });

  it("sends the options of createDirectory, remove and copy as the protocol names them", async () => {
    const server = fakeAppServer();
    server.handle("fs/createDirectory", () => ({ result: {} }));
    server.handle("fs/remove", () => ({ result: {} }));
    server.handle("fs/copy", () => ({ result: {} }));
    await using codex = await Codex.start({ transport: server.transport });
    await codex.fs.createDirectory("/w/d", { recursive: true });
    await codex.fs.remove("/w/d", { recursive: true, force: true });
    await codex.fs.copy("/w/a", "/w/b", { recursive: true });
    expect(server.requests().filter((r) => r.method.startsWith("fs/")).map((r) => [r.method, r.params])).toEqual([
      ["fs/createDirectory", { path: "/w/d", recursive: true }],
      ["fs/remove", { path: "/w/d", recursive: true, force: true }],
      ["fs/copy", { sourcePath: "/w/a", destinationPath: "/w/b", recursive: true }],
    ]);
  });

  it("refuses a relative path before anything is sent", async () => {
    const server = fakeAppServer();
    await using codex = await Codex.start({ transport: server.transport });
    await expect(codex.fs.readFile("a.txt")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(codex.fs.copy("/w/a", "b")).rejects.toThrow(/destinationPath/);
    expect(server.requests().filter((r) => r.method.startsWith("fs/"))).toEqual([]);
  });
});
