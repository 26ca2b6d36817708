// The incoming half of RpcConnection: one line of text → a validated notification, a server
// request, a response, or a ProtocolError.
import { serverNotificationSchemas } from "../protocol/generated/index.js";
import type { Notification } from "../protocol/notifications.js";
import { invalidMessage, schemaOf, wireIssues } from "../protocol/validate.js";
import { isPlainObject, ProtocolError } from "../errors/index.js";
import type { RequestId } from "./rpcTypes.js";

/** Where {@link dispatchIncoming} sends each kind of message. */
export interface IncomingSink {
  /** A notification, validated when the pinned protocol knows its method. */
  notification(notification: Notification): void;
  /** A server → client request (params not validated yet). */
  request(id: RequestId, method: string, params: unknown, text: string): void;
  /** A response (`result` or `error`) to one of our requests. */
  response(id: RequestId, message: Record<string, unknown>, text: string): void;
  /** A message that is none of these, or fails its schema. */
  protocolError(error: ProtocolError): void;
}

/**
 * Parses and classifies one incoming message.
 *
 * @param text the message as received
 * @param sink what gets it
 */
export function dispatchIncoming(text: string, sink: IncomingSink): void {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    sink.protocolError(new ProtocolError(`malformed message: not JSON (${(error as Error).message})`, { raw: text }, { cause: error }));
    return;
  }
  if (!isPlainObject(message)) {
    sink.protocolError(new ProtocolError("malformed message: not a JSON object", { raw: text }));
    return;
  }
  const m = message;
  const method = m["method"];
  const id = m["id"];
  if (typeof method === "string") {
    if (id === undefined) notification(method, m["params"], text, sink);
    else if (isRequestId(id)) sink.request(id, method, m["params"], text);
    else sink.protocolError(new ProtocolError("malformed request: id must be a string or an integer", { method, raw: text }));
    return;
  }
  if (method !== undefined) {
    sink.protocolError(new ProtocolError("malformed message: method must be a string", { raw: text }));
    return;
  }
  if (isRequestId(id) && ("result" in m || "error" in m)) {
    sink.response(id, m, text);
    return;
  }
  if (id === null && "error" in m) {
    // A reply the server could not tie to a request (e.g. we sent something unparseable).
    sink.protocolError(new ProtocolError(`error response without id: ${JSON.stringify(m["error"])}`, { raw: text }));
    return;
  }
  sink.protocolError(new ProtocolError("malformed message: neither request, notification nor response", { raw: text }));
}

function notification(method: string, params: unknown, text: string, sink: IncomingSink): void {
  const schema = schemaOf(serverNotificationSchemas, method);
  if (schema === undefined) {
    sink.notification({ method, params });
    return;
  }
  const issues = wireIssues(schema, params);
  if (issues !== undefined) {
    sink.protocolError(invalidMessage(`invalid params for notification ${method}`, method, issues, text));
    return;
  }
  sink.notification({ method, params } as Notification);
}

function isRequestId(id: unknown): id is RequestId {
  return typeof id === "string" || (typeof id === "number" && Number.isInteger(id));
}
