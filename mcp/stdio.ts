/**
 * The stdio entry: the server speaks MCP on stdin/stdout (and nothing else
 * goes to stdout). Runs on Node, Deno and Bun (all provide `node:process`).
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";

/** Serve `server` over stdio; resolves when the client closes stdin or the transport closes. */
export async function runStdio(server: Server): Promise<void> {
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    const prev = server.onclose;
    server.onclose = () => {
      prev?.();
      resolve();
    };
  });
  await server.connect(transport);
  const proc = (await import("node:process")).default;
  proc.stdin.once("end", () => void server.close());
  await closed;
}
