import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { engineTest } from "../harness.ts";
import { structured } from "./helpers.ts";

/** `dockwire mcp --host <engine>` as a command on the runtime running the tests (compiled JS under Node 20). */
function dockwireMcp(host: string, extra: string[] = []): { command: string; args: string[]; cwd: string } {
  const g = globalThis as { Deno?: { execPath(): string } };
  const ext = import.meta.url.endsWith(".js") ? "js" : "ts";
  const main = fileURLToPath(new URL(`../../lib/cli/main.${ext}`, import.meta.url));
  const cwd = fileURLToPath(new URL("../..", import.meta.url));
  const args = [main, "mcp", "--host", host, ...extra];
  return g.Deno
    ? { command: g.Deno.execPath(), args: ["run", "-A", ...args], cwd }
    : { command: process.execPath, args, cwd };
}

engineTest(
  "mcp/stdio",
  "dockwire mcp as a process: the SDK's stdio client initializes, lists and calls",
  async (ctx) => {
    const { docker, host, defer } = ctx;
    const cmd = dockwireMcp(host);
    const transport = new StdioClientTransport({ ...cmd, stderr: "pipe" });
    let stderr = "";
    transport.stderr?.on("data", (d: Uint8Array) => void (stderr += new TextDecoder().decode(d)));
    const errors: unknown[] = [];
    const client = new Client({ name: "dockwire-stdio-test", version: "0.0.0" });
    client.onerror = (e) => void errors.push(e);
    defer(() => client.close());
    await client.connect(transport);

    assert.equal(client.getServerVersion()?.name, "dockwire");
    assert.ok(client.getServerCapabilities()?.tools && client.getServerCapabilities()?.logging);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes("list_images") && names.includes("top"), names.join());
    assert.ok(!names.includes("run_container"), "read-only by default");
    await client.ping();
    await client.setLoggingLevel("warning");

    const r = await client.callTool({ name: "list_images", arguments: {} });
    assert.equal(r.isError, undefined, JSON.stringify(r.content));
    const images = structured(r).images as { repoTags: string[]; id: string }[];
    const busybox = (await docker.images.inspect("busybox:latest")).id as string;
    const row = images.find((i) => i.repoTags.includes("busybox:latest"));
    assert.ok(row, JSON.stringify(images.slice(0, 3)));
    assert.ok(busybox.replace(/^sha256:/, "").startsWith(row.id.replace(/^sha256:/, "")), `${row.id} vs ${busybox}`);

    await client.close();
    assert.deepEqual(errors, [], "every stdout line was a JSON-RPC message");
    // the startup line names the engine actually used (the --host given), not just "default"
    assert.ok(stderr.includes(`dockwire mcp: serving on stdio (mode read-only, hosts default=${host})`), stderr);
  },
);

engineTest(
  "mcp/stdio",
  "dockwire mcp as a process: raw stdout carries only JSON-RPC lines, answers all before exit",
  async (ctx) => {
    const cmd = dockwireMcp(ctx.host, ["--mode", "write"]);
    const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Uint8Array) => void (out += new TextDecoder().decode(d)));
    child.stderr.on("data", (d: Uint8Array) => void (err += new TextDecoder().decode(d)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const send = (m: object) => child.stdin.write(JSON.stringify({ jsonrpc: "2.0", ...m }) + "\n");
    send({
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "0" } },
    });
    send({ method: "notifications/initialized" });
    send({ id: 2, method: "tools/list" });
    send({ id: 3, method: "tools/call", params: { name: "ping", arguments: {} } });
    send({ id: 4, method: "tools/call", params: { name: "no_such_tool", arguments: {} } });
    send({ id: 5, method: "logging/setLevel", params: { level: "debug" } });
    send({ id: 6, method: "ping" });
    child.stdin.end();
    const timer = setTimeout(() => child.kill(), 20_000);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 0, err);
    const lines = out.split("\n").filter((l) => l !== "");
    const messages = lines.map((l) => {
      const m = JSON.parse(l);
      assert.equal(m.jsonrpc, "2.0", l);
      return m as { id?: number; method?: string; result?: any; error?: { code: number } };
    });
    // Besides the answers, only log lines: the calls may still run when logging/setLevel arrives (#13).
    const notes = messages.filter((m) => m.id === undefined);
    for (const n of notes) assert.equal(n.method, "notifications/message", JSON.stringify(n));
    assert.deepEqual(messages.filter((m) => m.id !== undefined).map((m) => m.id).sort(), [1, 2, 3, 4, 5, 6], out);
    const byId = new Map(messages.map((m) => [m.id, m]));
    assert.equal(byId.get(1)!.result.serverInfo.name, "dockwire");
    assert.ok(byId.get(2)!.result.tools.some((t: { name: string }) => t.name === "run_container"));
    assert.deepEqual(byId.get(3)!.result.structuredContent, { ok: true, answer: "OK" });
    assert.equal(byId.get(4)!.error?.code, -32602);
    assert.deepEqual(byId.get(5)!.result, {});
    assert.deepEqual(byId.get(6)!.result, {});
  },
);
