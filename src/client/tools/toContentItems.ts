import { isPlainObject } from "../../errors/index.js";
import type { ToolContentItem, ToolOutput } from "./tool.js";

/**
 * The content items a tool's output stands for: a string is one text item; a content item
 * (`inputText`, `inputImage`, `inputAudio`) or an array made only of them is sent as it is;
 * `undefined` is no content; any other value is sent as its JSON text.
 *
 * @param output what `execute` produced
 * @returns the `contentItems` of the answer
 * @throws {TypeError} when the value cannot be written as JSON (a cycle, a BigInt, a function)
 */
export function toContentItems(output: ToolOutput): ToolContentItem[] {
  if (output === undefined) return [];
  if (typeof output === "string") return [{ type: "inputText", text: output }];
  if (isContentItem(output)) return [output];
  if (Array.isArray(output) && output.length > 0 && output.every(isContentItem)) return [...(output as readonly ToolContentItem[])];
  const json: unknown = JSON.stringify(output);
  if (typeof json !== "string") throw new TypeError(`the tool's output (${typeof output}) cannot be written as JSON`);
  return [{ type: "inputText", text: json }];
}

function isContentItem(value: unknown): value is ToolContentItem {
  if (!isPlainObject(value)) return false;
  switch (value["type"]) {
    case "inputText":
      return typeof value["text"] === "string";
    case "inputImage":
      return typeof value["imageUrl"] === "string";
    case "inputAudio":
      return typeof value["audioUrl"] === "string";
    default:
      return false;
  }
}
