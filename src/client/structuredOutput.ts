import { z } from "zod";
import { StructuredOutputError } from "../errors/index.js";
import { issuesOf } from "../protocol/validate.js";

/** Turns a turn's final text into its structured output (see `TurnResult.structuredOutput`). */
export type OutputParser<T> = (text: string | null) => T;

/**
 * What to send as `outputSchema` and how to read the answer back: a zod schema is sent as its JSON
 * Schema (`z.toJSONSchema`) and validates the answer; a plain JSON Schema object is sent as-is and
 * the answer is only `JSON.parse`d.
 *
 * @param outputSchema a zod schema or a JSON Schema object
 * @returns the wire schema and the parser for the final response
 * @example
 * ```ts
 * const { wire, parse } = structuredOutputOf(z.object({ answer: z.number() }));
 * ```
 */
export function structuredOutputOf(outputSchema: unknown): { readonly wire: unknown; readonly parse: OutputParser<unknown> } {
  if (outputSchema instanceof z.ZodType) {
    const schema = outputSchema;
    return {
      wire: z.toJSONSchema(schema, { target: "draft-7" }),
      parse: (text) => {
        const parsed = schema.safeParse(parseJson(text));
        if (parsed.success) return parsed.data;
        throw new StructuredOutputError(
          `the final response does not match the output schema: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          text,
          issuesOf(parsed.error),
          { cause: parsed.error },
        );
      },
    };
  }
  return { wire: outputSchema, parse: parseJson };
}

function parseJson(text: string | null): unknown {
  if (text === null) throw new StructuredOutputError("the turn has no final response to parse as structured output", null);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new StructuredOutputError(`the final response is not JSON: ${(error as Error).message}`, text, [], { cause: error });
  }
}
