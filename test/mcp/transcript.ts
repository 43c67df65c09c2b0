/**
 * Produces the README's MCP transcript: the agent session of
 * test/mcp/agent_session_test.ts over stdio. It writes an app directory to a
 * temp dir, launches `dockwire mcp --mode full --allow-build-path DIR` with
 * the SDK's client (which answers each confirmation with yes, as a user
 * clicking yes does, and prints the question), and prints each request and a
 * trimmed reply (text content). Not a test; run it by hand:
 *
 *   node test/mcp/transcript.ts unix:///path/to/docker.sock
 *
 * It creates an image `dockwire-demo:1` and containers labelled
 * `app=dockwire-demo`, and removes them all by the end (through the tools;
 * at exit, through the engine, whatever happened).
 *
 * @module
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import nodePath from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { Docker } from "../../lib/transport/node.ts";

const host = process.argv[2] ?? "unix:///var/run/docker.sock";
const root = fileURLToPath(new URL("../..", import.meta.url));
const app = "dockwire-demo";
const tag = `${app}:1`;
const name = `${app}-web`;

const dir = await mkdtemp(nodePath.join(tmpdir(), "dockwire-demo-"));
const files: Record<string, string> = {
  Dockerfile: `FROM busybox:latest\nLABEL app=${app}\nCOPY app.sh health.sh /app/\nCMD ["sh", "/app/app.sh"]\n`,
  "app.sh": `i=0\ntrap 'echo "demo stopping after $i ticks"; exit 0' TERM\n` +
    `while true; do i=$((i + 1)); echo "demo tick $i"; echo "$i" > /tmp/ticks; sleep 0.2; done\n`,
  "health.sh":
    `test -s /tmp/ticks || { echo "unhealthy: no ticks yet"; exit 1; }\necho "healthy: $(cat /tmp/ticks) ticks"\n`,
};
for (const [file, text] of Object.entries(files)) {
  await writeFile(nodePath.join(dir, file), text);
  console.log(`$ cat /tmp/dockwire-demo-XXXX/${file}\n${text}`);
}

const args = ["lib/cli/main.ts", "mcp", "--mode", "full", "--allow-build-path", dir, "--host", host];
console.log(
  `$ dockwire ${args.slice(1, -1).join(" ").replace(dir, "/tmp/dockwire-demo-XXXX")} unix:///…/docker.sock\n`,
);
const transport = new StdioClientTransport({ command: process.execPath, args, cwd: root, stderr: "ignore" });
const client = new Client({ name: "transcript", version: "0" }, { capabilities: { elicitation: { form: {} } } });
client.setRequestHandler(ElicitRequestSchema, (req) => {
  console.log(`  ? elicitation/create ${JSON.stringify(req.params.message)}\n  ! accept`);
  return { action: "accept", content: { confirm: true } };
});
await client.connect(transport);

function trim(text: string, lines = 14): string {
  const all = text.split("\n");
  return all.length > lines ? [...all.slice(0, lines), `... (${all.length - lines} more lines)`].join("\n") : text;
}

async function call(name: string, args: Record<string, unknown>, lines?: number): Promise<CallToolResult> {
  console.log(`> tools/call ${JSON.stringify({ name, arguments: args }).replace(dir, "/tmp/dockwire-demo-XXXX")}`);
  const r = await client.callTool({ name, arguments: args }) as CallToolResult;
  const text = r.content.map((c) => (c.type === "text" ? c.text : JSON.stringify(c))).join("\n");
  console.log(`< ${r.isError ? "isError " : ""}${trim(text, lines).replace(/\n/g, "\n  ")}\n`);
  if (r.isError) throw new Error(`${name} failed`);
  return r;
}

try {
  const tools = (await client.listTools()).tools.map((t) => t.name);
  console.log(`> tools/list\n< ${tools.length} tools: ${tools.join(", ")}\n`);
  await call("build_image", { directory: dir, tag }, 30);
  await call("run_container", { image: tag, name, labels: { app }, wait: false });
  await new Promise((r) => setTimeout(r, 1500));
  await call("exec_container", { container: name, command: ["sh", "/app/health.sh"] });
  await call("logs", { container: name, tail: 3 });
  await call("stats_container", { container: name });
  await call("run_container", { image: tag, labels: { app }, cmd: ["sh", "-c", "echo job done"] });
  await call("list_containers", { filters: { label: [`app=${app}`] } });
  await call("stop_container", { container: name });
  await call("remove_container", { container: name });
  await call("prune", { kind: "containers", label: [`app=${app}`] });
  await call("remove_image", { image: tag });
} finally {
  await client.close();
  await rm(dir, { recursive: true, force: true });
  // Whatever failed above, nothing of the demo stays on the engine.
  const docker = new Docker({ host });
  for (const c of await docker.containers.list({ all: true, filters: { label: [`app=${app}`] } })) {
    await docker.containers.remove(c.Id, { force: true }).catch(() => {});
  }
  await docker.images.remove(tag, { force: true }).catch(() => {});
  docker.close();
}
