/**
 * dockwire's MCP server: safe, typed Docker tools for LLM agents, over stdio
 * and Streamable HTTP.
 *
 * @example
 * ```ts
 * import { connectDocker } from "dockwire/...";
 * import { createMcpServer, runStdio } from "dockwire/mcp";
 * await runStdio(createMcpServer({ docker: await connectDocker(), mode: "read-only" }));
 * ```
 *
 * @module
 */
export {
  createMcpServer,
  describeIssue,
  jsonSchemaOf,
  type McpServerOptions,
  type RegisteredTool,
  registeredTools,
  SMALL_REPLY,
} from "./server.ts";
export { TOOLS } from "./catalog.ts";
export { globToRegExp, type Mode, MODES, Policy, type SafetyOptions } from "./policy.ts";
export {
  defineTool,
  READ,
  type ToolAnnotations,
  type ToolContext,
  type ToolDef,
  type ToolLevel,
  ToolRefusal,
  type ToolReply,
} from "./tool.ts";
export { fenceUntrusted, looksSecret, maskEnv } from "./render.ts";
export { runStdio } from "./stdio.ts";
export { createMcpHttpApp, createMcpHttpHandler, type McpHttpOptions } from "./http.ts";
