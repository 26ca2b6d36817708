import { InvalidInputError, nearest } from "../../src/errors/index.js";
import { stableProtocol } from "../../src/protocol/stableProtocol.js";
import { validateParams } from "../../src/protocol/validate.js";

describe("validateParams", () => {
  it("accepts valid params, absent optional params and methods it does not know", () => {
    expect(validateParams("thread/start", { model: "m", config: { anything: { nested: 1 } } }, stableProtocol)).toBeUndefined();
    expect(validateParams("thread/start", {}, stableProtocol)).toBeUndefined();
    expect(validateParams("account/logout", undefined, stableProtocol)).toBeUndefined();
    expect(validateParams("some/newer/method", { whatever: 1 }, stableProtocol)).toBeUndefined();
  });

  it("names an unknown key and the nearest known one", () => {
    const error = validateParams("thread/start", { modle: "x" }, stableProtocol);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error?.message).toBe("invalid thread/start input: modle: unknown key, did you mean model?; nothing was sent");
    expect(error?.path).toBe("modle");
    expect(error?.method).toBe("thread/start");
    expect(error?.issues).toEqual([{ path: ["modle"], message: "unknown key, did you mean model?", code: "unrecognized_keys", suggestion: "model" }]);
  });

  it("says only 'unknown key' when nothing known is close", () => {
    expect(validateParams("thread/start", { zzzzzzzz: 1 }, stableProtocol)?.issues).toEqual([{ path: ["zzzzzzzz"], message: "unknown key", code: "unrecognized_keys" }]);
  });

  it("names the path of a bad discriminator", () => {
    const error = validateParams("turn/start", { threadId: "t", input: [], sandboxPolicy: { type: "bogus" } }, stableProtocol);
    expect(error?.path).toBe("sandboxPolicy.type");
    expect(error?.message).toMatch(/^invalid turn\/start input: sandboxPolicy\.type: .*'readOnly'/);
  });

  it("finds unknown keys inside the branch of a discriminated union", () => {
    expect(validateParams("turn/start", { threadId: "t", input: [], sandboxPolicy: { type: "workspaceWrite", writableRoot: [] } }, stableProtocol)?.issues[0]).toMatchObject({
      path: ["sandboxPolicy", "writableRoot"],
      suggestion: "writableRoots",
    });
  });

  it("finds unknown keys inside array items", () => {
    expect(validateParams("turn/start", { threadId: "t", input: [{ type: "text", text: "hi", txt: "x" }] }, stableProtocol)?.issues[0]).toMatchObject({
      path: ["input", 0, "txt"],
      suggestion: "text",
    });
  });

  it("reports type errors with their path, after unknown keys, and counts the rest", () => {
    const error = validateParams("turn/start", { threadId: 1, input: [], efort: "low" }, stableProtocol);
    expect(error?.issues.map((i) => i.path)).toEqual([["efort"], ["threadId"]]);
    expect(error?.message).toMatch(/efort: unknown key, did you mean effort\?.*\(\+1 more\); nothing was sent$/);
  });

  it("leaves keys of a record (free-form config) alone", () => {
    expect(validateParams("thread/start", { config: { modle: "free-form" } }, stableProtocol)).toBeUndefined();
  });
});

describe("nearest", () => {
  it.each([
    ["modle", ["model", "cwd"], "model"],
    ["sandBox", ["sandbox", "sandboxPolicy"], "sandbox"],
    ["cdw", ["cwd", "model"], "cwd"],
    ["approvalMod", ["approvalMode", "approvalPolicy"], "approvalMode"],
    ["banana", ["model", "cwd"], undefined],
  ])("%s → %s", (name, candidates, expected) => {
    expect(nearest(name, candidates)).toBe(expected);
  });
});

describe("validateParams: piped unions (image and audio inputs)", () => {
  it("accepts every input builder's item and finds unknown keys behind the pipe", () => {
    const input = [
      { type: "text", text: "a", text_elements: [] },
      { type: "image", url: "data:image/png;base64,AA" },
      { type: "image", fileId: "f1" },
      { type: "localImage", path: "/x.png" },
      { type: "skill", name: "s", path: "/s" },
      { type: "mention", name: "m", path: "/m" },
    ];
    expect(validateParams("turn/start", { threadId: "t", input }, stableProtocol)).toBeUndefined();
    expect(validateParams("turn/start", { threadId: "t", input: [{ type: "image", url: "u", detial: "low" }] }, stableProtocol)?.issues[0]).toMatchObject({
      path: ["input", 0, "detial"],
      suggestion: "detail",
    });
  });
});
