import type { z } from "zod";
import { clientRequestResultSchemas, serverNotificationSchemas, serverRequestSchemas } from "../../src/protocol/generated/index.js";
import { schemaOf, whereInvalid } from "../../src/protocol/validate.js";
import type { FakeAppServer } from "../../src/testing/index.js";

/** One message the fake sent, with what the pinned protocol's schema said about it. */
export interface CheckedLine {
  readonly kind: "response" | "error" | "notification" | "request";
  /** The method (of the request a response answers). */
  readonly method: string;
  readonly message: Record<string, unknown>;
  /** The first schema issue, or null when the message matches its schema. */
  readonly issue: string | null;
}

function check(schema: z.ZodType | undefined, value: unknown, method: string): string | null {
  if (schema === undefined) return `no schema for ${method}`;
  const parsed = schema.safeParse(value);
  return parsed.success ? null : `${method}${whereInvalid(parsed.error)}`;
}

/**
 * Taps everything the fake app-server writes to the client and checks each message against the
 * generated schemas: results by the method of the request they answer, notifications and server
 * requests by their own method. Subscribe before `Codex.start`.
 */
export function checkWire(server: FakeAppServer): CheckedLine[] {
  const lines: CheckedLine[] = [];
  const onMessage = (text: string): void => {
    const message = JSON.parse(text) as Record<string, unknown>;
    const method = message["method"];
    if (typeof method === "string") {
      const isRequest = message["id"] !== undefined;
      const schemas: Readonly<Record<string, z.ZodType>> = isRequest ? serverRequestSchemas : serverNotificationSchemas;
      lines.push({ kind: isRequest ? "request" : "notification", method, message, issue: check(schemaOf(schemas, method), message["params"], method) });
      return;
    }
    const request = server.requests().find((r) => r.id === message["id"]);
    const answered = request?.method ?? "?";
    if ("error" in message) {
      lines.push({ kind: "error", method: answered, message, issue: null });
      return;
    }
    lines.push({ kind: "response", method: answered, message, issue: check(schemaOf(clientRequestResultSchemas, answered), message["result"], answered) });
  };
  // The fake's exit() errors the stream: that is the client's business, not the checker's.
  server.transport.messages$.subscribe({ next: onMessage, error: () => undefined });
  return lines;
}

/** The methods in wire order, a run of deltas counted once (`item/agentMessage/delta×N` → one entry). */
export function wireOrder(lines: readonly { readonly kind: string; readonly method: string }[]): string[] {
  const out: string[] = [];
  for (const l of lines) {
    const name = l.kind === "response" ? `response:${l.method}` : l.method;
    if (name === "item/agentMessage/delta" && out[out.length - 1] === name) continue;
    out.push(name);
  }
  return out;
}
