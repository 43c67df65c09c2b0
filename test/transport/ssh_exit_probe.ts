/**
 * Run by ssh_keepalive_test.ts as its own process: makes a few calls to an
 * ssh:// engine through a client it never closes, so a kept-alive ssh
 * connection sits idle, then prints the time and returns. The parent checks
 * that the process ended by itself soon after, not when the idle connection
 * timed out.
 *
 *   <runtime> test/transport/ssh_exit_probe.ts ssh://user@host:port '<ssh options as JSON>'
 *
 * @module
 */
const g = globalThis as any;
const rt = g.Deno ? "deno" : g.Bun ? "bun" : "node";
const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
const { Docker } = await import(`../../lib/transport/${rt}.${ext}`);
const [host, ssh]: string[] = g.Deno ? g.Deno.args : g.process.argv.slice(2);

const docker = new Docker({ host, ssh: JSON.parse(ssh) }); // left open on purpose
console.log("ping:", await docker.ping());
console.log("version:", typeof (await docker.version()).Version);
console.log("info:", typeof (await docker.info()).ID);
console.log(`done ${Date.now()}`);
