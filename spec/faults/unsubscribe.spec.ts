// Fault injection, the user walks away: unsubscribing from every Observable mid-turn must cancel
// nothing on the server (no message is sent), leak no subscription, and leave the client usable.
import { filter, firstValueFrom, lastValueFrom, toArray, type Subscription } from "rxjs";
import { ofMethod } from "../../src/index.js";
import { StdioTransport } from "../../src/advanced.js";
import { reply } from "../../src/testing/index.js";
import { CountingTransport } from "../helpers/CountingTransport.js";
import { createHarness, type Harness } from "../integration/harness.js";
import { lost, orphan, reportFaults, tried } from "./faultTally.js";
import { observerCounts, since } from "./support.js";

let h: Harness;

beforeAll(async () => {
  h = await createHarness();
});

afterAll(async () => {
  await h.dispose();
  reportFaults(import.meta.url);
});

describe("fault injection: unsubscribing from everything mid-turn (real app-server)", () => {
  it("cancels nothing on the server, leaks no subscription, and the next turn works", async () => {
    tried("unsubscribe from every Observable mid-turn");
    const stdio = new StdioTransport({ env: h.home.env });
    const transport = new CountingTransport(stdio);
    const codex = await h.start({ transport });
    const thread = await codex.threadStart({ cwd: h.cwd });
    const baseline = observerCounts(codex["rpc"]);

    // ~300 deltas, 2 ms apart: the turn streams for about a second.
    h.fake.enqueue(reply.deltas(300, { delayMs: 2 }));
    const turn = await thread.turn("stream for a while");
    const subscriptions: Subscription[] = [
      turn.events$.subscribe(),
      turn.progress$.subscribe(),
      turn.result$.subscribe({ error: () => undefined }),
      codex.notifications$.subscribe({ error: () => undefined }),
      codex.serverRequests$.subscribe(),
      codex.protocolErrors$.subscribe(),
    ];
    await firstValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta")));
    const sentBefore = transport.methods.length;
    for (const subscription of subscriptions) subscription.unsubscribe();
    // The turn is still streaming: the connection's router captures its events (and server
    // requests) until turn/completed, with one subscription per stream for every turn. Ours are gone.
    const midTurn = observerCounts(codex["rpc"]);
    const routed = { ...baseline, notifications: baseline.notifications + 1, serverRequests: baseline.serverRequests + 1 };
    expect(midTurn).toEqual(routed);
    expect(midTurn.protocolErrors).toBe(baseline.protocolErrors);

    // The turn goes on to the end on the server: seen on the one stream, status completed.
    const t0 = performance.now();
    const completed = await firstValueFrom(
      codex.notifications$.pipe(
        ofMethod("turn/completed"),
        filter((n) => n.params.turn.id === turn.id),
      ),
    );
    expect(completed.params.turn.status).toBe("completed");
    expect(since(t0)).toBeLessThan(10_000);
    // Nothing was sent for the unsubscriptions: no turn/interrupt, no cancel.
    expect(transport.methods.slice(sentBefore)).toEqual([]);

    // Nothing leaked: the turn's capture ended with turn/completed, ours with unsubscribe(); the
    // router's one subscription per stream stays for the connection, whatever the turns.
    expect(observerCounts(codex["rpc"])).toEqual(routed);
    expect(codex["context"].router.openTurns()).toEqual([]);
    expect(codex["rpc"]["pending"].size).toBe(0);
    // And nothing was lost: the handle replays the whole turn to a new subscriber.
    const deltas = await lastValueFrom(turn.events$.pipe(ofMethod("item/agentMessage/delta"), toArray()));
    expect(lost(300, deltas.length)).toBe(0);
    expect((await turn.run()).status).toBe("completed");

    // The client is fine: the next turn works.
    expect((await thread.run("next")).finalResponse).toBe("echo: next");
    expect(observerCounts(codex["rpc"])).toEqual(routed);

    const pid = stdio.pid as number;
    await codex.close();
    expect(orphan(pid)).toBe(false);
  });
});
