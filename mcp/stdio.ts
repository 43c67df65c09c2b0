/**
 * The stdio entry: the server speaks MCP on stdin/stdout (and nothing else
 * goes to stdout). Runs on Node, Deno and Bun (all provide `node:process`).
 *
 * @module
 */
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

/**
 * Serve `server` over stdio; resolves when the transport closes. When the
 * client closes stdin, the requests already read are answered first.
 */
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
  // Track requests in flight (by id) so closing stdin does not drop their answers.
  const pending = new Set<string | number>();
  const onmessage = transport.onmessage;
  transport.onmessage = (message: JSONRPCMessage) => {
    if ("id" in message && "method" in message) pending.add(message.id);
    onmessage?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    await send(message);
    if ("id" in message && !("method" in message) && message.id !== undefined) pending.delete(message.id);
  };
  const proc = (await import("node:process")).default;
  proc.stdin.once("end", async () => {
    while (pending.size > 0) await new Promise((r) => setTimeout(r, 20));
    await server.close();
  });
  await closed;
}
