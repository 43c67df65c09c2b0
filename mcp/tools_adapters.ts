/**
 * A catalog's tools as the tool objects of three agent frameworks. Each
 * adapter takes the framework's own `tool` function (and the AI SDK's
 * `jsonSchema`) as an argument, so dockwire depends on none of them: pass
 * what you imported from the version you use.
 *
 * What every framework gets back from a call is the catalog's
 * {@link ToolResult} without resource links (`isError`, `text` with
 * container output fenced as untrusted data, `structured`); failures are
 * results the model reads, not exceptions.
 *
 * @module
 */
import type { CatalogTool, ToolCatalog } from "./tools_catalog.ts";
import type { ExecuteOptions, ToolResult } from "./call.ts";

/** Per-host options of the adapters: how to confirm destructive calls and where progress goes. */
export type AdapterOptions = Pick<ExecuteOptions, "confirm" | "onProgress">;

/** What a framework's tool returns to the model: the result without resource links. */
export type ModelResult = Omit<ToolResult, "links">;

async function run(tool: CatalogTool, args: unknown, options: AdapterOptions, signal?: AbortSignal) {
  const { links: _links, ...result } = await tool.execute(args, { ...options, signal });
  return result as ModelResult;
}

/**
 * The catalog as an AI SDK (`ai`) tool set for `generateText`/`streamText`.
 *
 * @example
 * ```ts
 * import { generateText, jsonSchema, tool } from "ai";
 * const tools = aiSdkTools(catalog, { tool, jsonSchema });
 * await generateText({ model, tools, prompt: "Which images are there?" });
 * ```
 */
export function aiSdkTools<T>(
  catalog: ToolCatalog,
  ai: { tool: (definition: any) => T; jsonSchema: (schema: any) => unknown },
  options: AdapterOptions = {},
): Record<string, T> {
  const out: Record<string, T> = {};
  for (const t of catalog.tools) {
    out[t.name] = ai.tool({
      title: t.title,
      description: t.description,
      inputSchema: ai.jsonSchema(t.inputSchema),
      execute: (args: unknown, call?: { abortSignal?: AbortSignal }) => run(t, args, options, call?.abortSignal),
    });
  }
  return out;
}

/**
 * The catalog as OpenAI Agents SDK (`@openai/agents`) function tools.
 *
 * @example
 * ```ts
 * import { Agent, tool } from "@openai/agents";
 * const agent = new Agent({ name: "ops", tools: openAiAgentsTools(catalog, { tool }) });
 * ```
 */
export function openAiAgentsTools<T>(
  catalog: ToolCatalog,
  agents: { tool: (definition: any) => T },
  options: AdapterOptions = {},
): T[] {
  return catalog.tools.map((t) => {
    const { $schema: _s, ...parameters } = t.inputSchema;
    return agents.tool({
      name: t.name,
      description: t.description,
      // The catalog's schemas have optional arguments, which the SDK's strict mode does not allow.
      strict: false,
      parameters,
      execute: (args: unknown, _context?: unknown, details?: { signal?: AbortSignal }) =>
        run(t, args, options, details?.signal),
    });
  });
}

/**
 * The catalog as LangChain (`@langchain/core/tools`) structured tools; the
 * model reads the text, the structured result is the tool message's artifact.
 *
 * @example
 * ```ts
 * import { tool } from "@langchain/core/tools";
 * const tools = langChainTools(catalog, { tool });
 * ```
 */
export function langChainTools<T>(
  catalog: ToolCatalog,
  langchain: { tool: (func: any, fields: any) => T },
  options: AdapterOptions = {},
): T[] {
  return catalog.tools.map((t) =>
    langchain.tool(
      async (args: unknown, config?: { signal?: AbortSignal }) => {
        const result = await run(t, args, options, config?.signal);
        return [result.isError ? `Error: ${result.text}` : result.text, result];
      },
      { name: t.name, description: t.description, schema: t.inputSchema, responseFormat: "content_and_artifact" },
    )
  );
}
