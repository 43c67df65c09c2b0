/**
 * A stream ended mid-body (cancelled or aborted: events, logs follow) must not
 * slow the next request down. Deno's fetch over a unix socket did: about one
 * request in 30 after such a stream waited 5 s (Deno 2.9.6; not over TCP, not
 * with Deno.connect), which made 300 aborted event streams take 50 s instead of
 * 2. The Deno transport now gives streams a connection of their own
 * (lib/transport/deno.ts). Checked on every runtime: the promise is the same.
 */
import assert from "node:assert/strict";
import { engineTest } from "../harness.ts";

engineTest(
  "events",
  "150 streams ended mid-body in a row: no request after one waits seconds",
  async (ctx) => {
    await ctx.docker.client.apiVersion();
    const stalls: string[] = [];
    for (let i = 0; i < 150; i++) {
      const ctl = new AbortController();
      const started = Date.now();
      const body = await ctx.docker.client.stream({ method: "GET", path: "/events", signal: ctl.signal });
      // An idle engine answers in milliseconds; the stall was 5 s. 4 s leaves a wide margin for a loaded machine.
      const waited = Date.now() - started;
      if (waited >= 4000) stalls.push(`stream ${i}: ${waited} ms for the headers`);
      const reader = body.getReader();
      const pending = reader.read().catch(() => {});
      await new Promise((r) => setTimeout(r, i % 3));
      if (i % 2) ctl.abort(new Error("done"));
      else await reader.cancel().catch(() => {});
      await pending;
      if (stalls.length >= 2) break;
    }
    assert.deepEqual(stalls, []);
  },
  { timeout: 120_000 },
);
