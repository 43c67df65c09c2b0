/**
 * Test helpers: an SDK Client wired to a dockwire MCP server over
 * InMemoryTransport, with output schemas listed unless the options say
 * otherwise (the Client then validates structuredContent against each
 * tool's outputSchema).
 *
 * @module
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { type CallToolResult, ElicitRequestSchema, type ElicitResult } from "@modelcontextprotocol/sdk/types.js";
import { createMcpServer, type McpServerOptions } from "../../mcp/mod.ts";

/** Options of {@link connectClient}. */
export interface ClientSetup {
  /** Answer elicitation requests (the client then declares the capability). */
  elicit?: (message: string) => ElicitResult | Promise<ElicitResult>;
}

/** A connected client and a way to close both ends. */
export interface Connected {
  client: Client;
  close(): Promise<void>;
}

/** Start a server with these options and connect a client to it. */
export async function connectClient(options: McpServerOptions, setup: ClientSetup = {}): Promise<Connected> {
  const server = createMcpServer({ outputSchemas: true, ...options });
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: "dockwire-test", version: "0.0.0" },
    { capabilities: setup.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (setup.elicit) {
    const answer = setup.elicit;
    client.setRequestHandler(ElicitRequestSchema, async (req) => await answer(String(req.params.message)));
  }
  await Promise.all([server.connect(a), client.connect(b)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool result's first content item. */
export function textOf(result: unknown): string {
  const r = result as CallToolResult;
  const first = r.content?.[0];
  return first && first.type === "text" ? first.text : "";
}

/** The structured content, typed loosely for assertions. */
export function structured(result: unknown): Record<string, any> {
  return (result as CallToolResult).structuredContent as Record<string, any>;
}

/** Call a tool that must succeed; returns its structured content. */
export async function callOk(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<Record<string, any>> {
  const r = await client.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} failed: ${textOf(r)}`);
  return structured(r);
}

/** Call a tool that must fail with an isError result; returns its text. */
export async function callErr(client: Client, name: string, args: Record<string, unknown> = {}): Promise<string> {
  const r = await client.callTool({ name, arguments: args });
  if (!r.isError) throw new Error(`${name} unexpectedly succeeded: ${textOf(r)}`);
  return textOf(r);
}
