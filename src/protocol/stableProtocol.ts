// The stable surface's registries. A module of its own so that only what validates the wire (the
// connection, imported when `Codex.start` connects) loads the generated schemas; the facade and
// `import "codex-rx"` never do.
import type { ClientProtocol } from "./ClientProtocol.js";
import { clientRequestParamsSchemas, clientRequestResultSchemas } from "./generated/index.js";

/** @internal The stable surface: the default of every connection. */
export const stableProtocol: ClientProtocol = { surface: "stable", params: clientRequestParamsSchemas, results: clientRequestResultSchemas };
