// Which surface of the protocol a connection speaks: the stable one (every client), or the
// experimental one (a client started with `experimentalApi: true`). Both surfaces' schemas are
// modules of their own, imported here only when a connection asks for them, so `import "codex-rx"`
// pays for neither (they are the largest modules of the client).
import type { z } from "zod";
import type {
  ExperimentalClientRequestMethod,
  ExperimentalClientRequestParamsMap,
  ExperimentalClientRequestResultMap,
} from "./generated/experimental.js";
import type { ClientRequestMethod, ClientRequestParamsMap, ClientRequestResultMap } from "./generated/index.js";

/**
 * A surface of the pinned protocol: `"stable"` (what `generate-json-schema` prints) or
 * `"experimental"` (with `--experimental`: more methods, more fields; the server accepts them
 * only from a client that set `initialize.capabilities.experimentalApi`). The type parameter of
 * `Codex`: `Codex.start({ experimentalApi: true })` gives a `Codex<"experimental">`.
 */
export type ProtocolSurface = "stable" | "experimental";

/** The client request methods of a surface. */
export type RequestMethodOf<S extends ProtocolSurface> = S extends "experimental" ? ExperimentalClientRequestMethod : ClientRequestMethod;

/** The params of client request method `M` on a surface. */
export type RequestParamsOf<S extends ProtocolSurface, M extends string> = S extends "experimental"
  ? ExperimentalClientRequestParamsMap[M & ExperimentalClientRequestMethod]
  : ClientRequestParamsMap[M & ClientRequestMethod];

/** The result of client request method `M` on a surface. */
export type RequestResultOf<S extends ProtocolSurface, M extends string> = S extends "experimental"
  ? ExperimentalClientRequestResultMap[M & ExperimentalClientRequestMethod]
  : ClientRequestResultMap[M & ClientRequestMethod];

/**
 * The registries a connection checks its requests' params and results with: one surface's. Get
 * one with {@link loadClientProtocol} and give it to `RpcConnection` (`protocol`); `Codex.start`
 * does it from `experimentalApi`.
 */
export interface ClientProtocol {
  readonly surface: ProtocolSurface;
  /** Method → params schema. */
  readonly params: Readonly<Record<string, z.ZodType>>;
  /** Method → result schema. */
  readonly results: Readonly<Record<string, z.ZodType>>;
}

let experimental: Promise<ClientProtocol> | undefined;

/**
 * The registries of a surface; each surface's module is imported on the first call that asks for
 * it, once per process.
 *
 * @param surface which one
 * @returns its registries
 * @example
 * ```ts
 * const rpc = new RpcConnection(transport, { protocol: await loadClientProtocol("experimental") });
 * ```
 */
export function loadClientProtocol(surface: ProtocolSurface): Promise<ClientProtocol> {
  if (surface === "stable") return import("./stableProtocol.js").then((m) => m.stableProtocol);
  experimental ??= import("./generated/experimental.js").then(
    (m): ClientProtocol => ({ surface, params: m.experimentalClientRequestParamsSchemas, results: m.experimentalClientRequestResultSchemas }),
  );
  return experimental;
}
