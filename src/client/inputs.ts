import type { ImageDetail, UserInput } from "../protocol/generated/index.js";
import { isPlainObject, invalidInput } from "../errors/index.js";

/** What a turn accepts: a string (shorthand for {@link text}), one input item, or a mixed array. */
export type Input = string | UserInput | readonly (string | UserInput)[];

/**
 * A text input item.
 *
 * @param value the text
 * @returns `{ type: "text", text, text_elements: [] }`
 * @example
 * ```ts
 * await thread.run([text("Describe this:"), image("data:image/png;base64,iVBORw0KGgo…")]);
 * ```
 */
export function text(value: string): UserInput {
  return { type: "text", text: value, text_elements: [] };
}

/**
 * An image by URL. Pass a `data:` URL: the app-server refuses remote http(s) URLs at
 * `turn/start`. For a file, use {@link localImage}.
 *
 * @param url where the image is
 * @param detail optional detail level for the model
 * @returns `{ type: "image", url }`
 * @example
 * ```ts
 * await thread.run(["What is in this picture?", image("data:image/png;base64,iVBORw0KGgo…")]);
 * ```
 */
export function image(url: string, detail?: ImageDetail): UserInput {
  return detail === undefined ? { type: "image", url } : { type: "image", url, detail };
}

/**
 * An image file on the app-server's machine.
 *
 * @param path a file path the server can read
 * @param detail optional detail level for the model
 * @returns `{ type: "localImage", path }`
 * @example
 * ```ts
 * await thread.run(["Describe this screenshot", localImage("/tmp/screen.png")]);
 * ```
 */
export function localImage(path: string, detail?: ImageDetail): UserInput {
  return detail === undefined ? { type: "localImage", path } : { type: "localImage", path, detail };
}

/**
 * A skill to use in this turn.
 *
 * @param name the skill's name
 * @param path the skill's path (its SKILL.md folder)
 * @returns `{ type: "skill", name, path }`
 * @example
 * ```ts
 * await thread.run([skill("release-notes", "/repo/.codex/skills/release-notes"), "Write them for v2."]);
 * ```
 */
export function skill(name: string, path: string): UserInput {
  return { type: "skill", name, path };
}

/**
 * A mention of a file or resource (`@name`).
 *
 * @param name what the mention shows as
 * @param path what it points at
 * @returns `{ type: "mention", name, path }`
 * @example
 * ```ts
 * await thread.run(["Review", mention("main.rs", "/repo/src/main.rs")]);
 * ```
 */
export function mention(name: string, path: string): UserInput {
  return { type: "mention", name, path };
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

/**
 * @internal Refuses an input that is neither a string, an input item nor an array of them, before
 * it is normalized: the error names what was passed, not what it would have become.
 *
 * @param method the request the input is for
 * @param input what the caller passed
 * @returns the input, unchanged
 * @throws {InvalidInputError} for anything else
 */
export function checkInput(method: string, input: Input): Input {
  const ok = (i: unknown): boolean => typeof i === "string" || isPlainObject(i);
  const at = Array.isArray(input) ? input.findIndex((i) => !ok(i)) : -1;
  if (Array.isArray(input) ? at < 0 : ok(input)) return input;
  const bad: unknown = at >= 0 ? (input as readonly unknown[])[at] : input;
  throw invalidInput(method, at >= 0 ? ["input", at] : ["input"], `expected a string, an input item (text(), image(), localImage(), …) or an array of them, got ${bad === null ? "null" : Array.isArray(bad) ? "a nested array" : typeof bad}`);
}
