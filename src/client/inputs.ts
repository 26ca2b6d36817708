import type { UserInput } from "../protocol/generated/index.js";

/** What a turn accepts: a string (shorthand for {@link text}), one input item, or a mixed array. */
export type Input = string | UserInput | readonly (string | UserInput)[];

/**
 * A text input item.
 *
 * @param value the text
 * @returns `{ type: "text", text, text_elements: [] }`
 * @example
 * ```ts
 * await thread.run([text("Describe this:"), image("https://example.com/cat.png")]);
 * ```
 */
export function text(value: string): UserInput {
  return { type: "text", text: value, text_elements: [] };
}

/**
 * Normalizes any {@link Input} to the wire's `UserInput[]`.
 *
 * @param input a string, an item or an array of both
 * @returns the items, strings turned into text items
 */
export function toUserInputs(input: Input): UserInput[] {
  if (typeof input === "string") return [text(input)];
  if (Array.isArray(input)) return input.map((i: string | UserInput) => (typeof i === "string" ? text(i) : i));
  return [input as UserInput];
}
