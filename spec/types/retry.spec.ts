// Type-level tests of the retry helpers: `npm test` type-checks this file (tsc), so a wrong
// inference fails the build. The runtime part only proves the file loads.
import { defer } from "rxjs";
import { retryOnOverload, withRetry, type Codex, type RetryOnOverloadOptions, type Thread, type TurnResult } from "../../src/index.js";
import type { ModelListResponse } from "../../src/protocol/generated/index.js";

import { assertType, type Equal, type ObservedBy } from "./typeAssert.js";

declare const codex: Codex;
declare const thread: Thread;

// Never called: the assertions are for tsc only.
async function typeAssertions(): Promise<void> {
  // The operator keeps the source's type: it is a MonoTypeOperatorFunction.
  const models$ = defer(() => codex.request("model/list", {})).pipe(retryOnOverload());
  assertType<Equal<ObservedBy<typeof models$>, ModelListResponse>>();
  // withRetry resolves to what fn resolves to.
  const result = await withRetry(() => thread.run("hi"));
  assertType<Equal<typeof result, TurnResult>>();
  const n = await withRetry(() => Promise.resolve(42), { maxAttempts: 5, scheduler: undefined });
  assertType<Equal<typeof n, number>>();
  // @ts-expect-error unknown option
  retryOnOverload({ retries: 3 });
  // @ts-expect-error onRetry is told a ServerBusyError, not a string
  const bad: RetryOnOverloadOptions = { onRetry: (e: { error: string }) => e };
  void bad;
}

describe("retry types", () => {
  it("type-checks (see typeAssertions)", () => {
    expect(typeof typeAssertions).toBe("function");
  });
});
