/**
 * Run by exit_test.ts as its own process: makes a client time out on a hung
 * server, aborts a call, pings the engine without closing the client, streams
 * and cancels, dials and closes, then returns without calling exit. The parent
 * checks that the process ends by itself.
 *
 *   <runtime> test/transport/exit_probe.ts unix:///engine.sock
 *
 * @module
 */
import { hungServer } from "./support.ts";

const g = globalThis as any;
const rt = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
const { Docker } = await import(`../../lib/transport/${rt}.${ext}`);
const host: string = g.Deno ? g.Deno.args[0] : g.process.argv[2];

const server = await hungServer();
const hung = new Docker({ host: server.host, timeout: 300 });
console.log("timeout:", await hung.ping().catch((e: Error) => e.name));
console.log(
  "abort:",
  await hung.ping({ timeout: 0, signal: AbortSignal.timeout(100) }).catch((e: Error) => e.name),
);
hung.close();
await server.close();
const open = new Docker({ host }); // left open on purpose
console.log("ping:", await open.ping());
const events = await open.client.stream({ method: "GET", path: "/events" });
await events.cancel();
const conn = await open.client.transport.dial();
conn.close();
console.log("done");
