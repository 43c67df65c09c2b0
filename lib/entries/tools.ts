/**
 * The npm entry of `dockwire/tools`: checks that the optional peer
 * `@valibot/to-json-schema` is installed, then re-exports
 * mcp/tools_catalog.ts (the in-process tool catalog, which needs neither the
 * MCP SDK nor hono). A static import would fail at link time with a bare
 * module-not-found before any code could explain it, hence the dynamic
 * import and the explicit list of names (held equal to the module's exports
 * by test/packaging/entries_test.ts). The types come from
 * mcp/tools_catalog.ts itself (package.json `types`); JSR and Deno import it
 * directly.
 *
 * @module
 */
import { requirePackages, TOOLS_PACKAGES } from "./optional.ts";

await requirePackages("dockwire/tools", TOOLS_PACKAGES);
const tools = await import("../../mcp/tools_catalog.ts");

export const {
  aiSdkTools,
  createToolCatalog,
  defineTool,
  describeIssue,
  jsonSchemaOf,
  langChainTools,
  MODES,
  openAiAgentsTools,
  Policy,
  ToolRefusal,
  TOOLS,
  UnknownToolError,
} = tools;
