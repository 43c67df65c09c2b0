/**
 * Produces the README's MCP transcript: launches `dockwire mcp --mode write`
 * over stdio with the SDK's client and prints each request and a trimmed
 * reply (text content). Not a test; run it by hand:
 *
 *   node test/mcp/transcript.ts unix:///path/to/docker.sock
 *
 * It creates an image `dockwire-demo:1` and a container `dockwire-demo`, and
 * removes both at the end.
 *
 * @module
 */
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const host = process.argv[2] ?? "unix:///var/run/docker.sock";
const root = fileURLToPath(new URL("../..", import.meta.url));
const transport = new StdioClientTransport({
  command: process.execPath,
  args: ["lib/cli/main.ts", "mcp", "--mode", "write", "--host", host],
  cwd: root,
  stderr: "ignore",
});
const client = new Client({ name: "transcript", version: "0" });
await client.connect(transport);

function trim(text: string, lines = 14): string {
  const all = text.split("\n");
  return all.length > lines ? [...all.slice(0, lines), `... (${all.length - lines} more lines)`].join("\n") : text;
}

async function call(name: string, args: Record<string, unknown>, lines?: number): Promise<CallToolResult> {
  console.log(`> tools/call ${JSON.stringify({ name, arguments: args })}`);
  const r = await client.callTool({ name, arguments: args }) as CallToolResult;
  const text = r.content.map((c) => (c.type === "text" ? c.text : JSON.stringify(c))).join("\n");
  console.log(`< ${r.isError ? "isError " : ""}${trim(text, lines).replace(/\n/g, "\n  ")}\n`);
  return r;
}

const tools = (await client.listTools()).tools.map((t) => t.name);
console.log(`> tools/list\n< ${tools.length} tools: ${tools.join(", ")}\n`);
await call("list_images", { limit: 3 });
await call("build_image", {
  dockerfile: 'FROM busybox:latest\nCOPY greet.sh /greet.sh\nCMD ["sh", "/greet.sh"]\n',
  files: { "greet.sh": "echo hello from dockwire; while true; do date; sleep 1; done\n" },
  tag: "dockwire-demo:1",
}, 30);
await call("run_container", { image: "dockwire-demo:1", name: "dockwire-demo", wait: false });
await new Promise((r) => setTimeout(r, 2500));
await call("logs", { container: "dockwire-demo", tail: 3 });
await call("top", { container: "dockwire-demo" });
await client.close();

// Clean up with the engine directly (remove_* tools need --mode full).
const sock = host.replace(/^unix:\/\//, "");
const { request } = await import("node:http");
for (const path of ["/containers/dockwire-demo?force=1", "/images/dockwire-demo:1?force=1"]) {
  await new Promise<void>((resolve) =>
    request({ socketPath: sock, path: `/v1.24${path}`, method: "DELETE" }, (res) => res.resume().on("end", resolve))
      .end()
  );
}
