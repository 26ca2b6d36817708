import { z } from "zod";
import { structuredOutputOf } from "../../src/client/structuredOutput.js";
import { StructuredOutputError } from "../../src/errors/index.js";

describe("structuredOutputOf", () => {
  it("sends a plain JSON Schema as-is and only parses the answer", () => {
    const schema = { type: "object", properties: { a: { type: "number" } } };
    const { wire, parse } = structuredOutputOf(schema);
    expect(wire).toBe(schema);
    expect(parse('{"a":1,"extra":true}')).toEqual({ a: 1, extra: true });
  });

  it("sends a zod schema as its JSON Schema and validates the answer", () => {
    const { wire, parse } = structuredOutputOf(z.object({ a: z.number(), tags: z.array(z.string()) }));
    expect(wire).toMatchObject({ type: "object", properties: { a: { type: "number" }, tags: { type: "array" } }, required: ["a", "tags"] });
    expect(parse('{"a":2,"tags":["x"]}')).toEqual({ a: 2, tags: ["x"] });
    const error = (() => {
      try {
        parse('{"a":"two"}');
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(StructuredOutputError);
    expect((error as StructuredOutputError).issues.map((i) => i.path)).toEqual([["a"], ["tags"]]);
  });

  it("fails with StructuredOutputError on text that is not JSON, or no text", () => {
    const { parse } = structuredOutputOf({});
    expect(() => parse("not json")).toThrow(StructuredOutputError);
    expect(() => parse(null)).toThrow(/no final response/);
  });
});
