import { image, localImage, mention, skill, text, toUserInputs } from "../../src/client/inputs.js";

describe("inputs", () => {
  it("builds each input item in the wire's shape", () => {
    expect(text("hi")).toEqual({ type: "text", text: "hi", text_elements: [] });
    expect(image("data:image/png;base64,AA==")).toEqual({ type: "image", url: "data:image/png;base64,AA==" });
    expect(image("https://x/y.png", "high")).toEqual({ type: "image", url: "https://x/y.png", detail: "high" });
    expect(localImage("/tmp/a.png")).toEqual({ type: "localImage", path: "/tmp/a.png" });
    expect(skill("notes", "/s/notes")).toEqual({ type: "skill", name: "notes", path: "/s/notes" });
    expect(mention("main.rs", "/r/main.rs")).toEqual({ type: "mention", name: "main.rs", path: "/r/main.rs" });
  });

  it("normalizes a string, an item and a mixed array", () => {
    expect(toUserInputs("hi")).toEqual([text("hi")]);
    expect(toUserInputs(localImage("/a.png"))).toEqual([localImage("/a.png")]);
    expect(toUserInputs(["look", localImage("/a.png")])).toEqual([text("look"), localImage("/a.png")]);
    expect(toUserInputs([])).toEqual([]);
  });
});
