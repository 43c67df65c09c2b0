/**
 * The npm entry of `dockwire/mcp`: checks that the optional peers
 * `@modelcontextprotocol/sdk`, `@valibot/to-json-schema` and `hono` are
 * installed, then re-exports mcp/mod.ts. A static import would fail at link
 * time with a bare module-not-found before any code could explain it, hence
 * the dynamic import and the explicit list of names (held equal to
 * mcp/mod.ts's exports by test/packaging/entries_test.ts). The types come
 * from mcp/mod.ts itself (package.json `types`).
 *
 * @module
 */
import { CLI_PACKAGE, MCP_PACKAGES, requirePackages } from "./optional.ts";

await requirePackages(
  "dockwire/mcp",
  MCP_PACKAGES,
  ` (the ${CLI_PACKAGE} package brings them with the dockwire command)`,
);
const mcp = await import("../../mcp/mod.ts");

export const {
  createMcpHttpApp,
  createMcpHttpHandler,
  createMcpServer,
  defineTool,
  describeIssue,
  fenceUntrusted,
  globToRegExp,
  jsonSchemaOf,
  looksSecret,
  maskEnv,
  MODES,
  Policy,
  READ,
  registeredTools,
  runStdio,
  SMALL_REPLY,
  TOOLS,
  ToolRefusal,
} = mcp;
