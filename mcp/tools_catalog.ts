/**
 * The Docker tools as a framework-neutral catalog for agents that call tools
 * in process (the AI SDK, the OpenAI Agents SDK, LangChain, a model loop of
 * your own): each tool has its name, description, input and output JSON
 * Schema, annotations and `execute(args, { signal, onProgress, confirm })`,
 * under the same modes, allow/deny lists and policy as the MCP server, which
 * is a thin layer over this module. It needs `valibot` and
 * `@valibot/to-json-schema`, never the MCP SDK.
 *
 * Destructive calls (stop, kill, remove ...) ask the host's `confirm`
 * callback (the in-process counterpart of MCP elicitation); without one they
 * are refused unless the operator set `allowDestructive`. Results are what
 * the MCP tools return: bounded, container output fenced as untrusted data,
 * and a structured result checked against the output schema.
 *
 * @example
 * ```ts
 * import { Docker } from "dockwire";
 * import { createToolCatalog } from "dockwire/tools";
 *
 * const catalog = createToolCatalog({ docker: new Docker(), mode: "write" });
 * const result = await catalog.call("list_images", {});
 * console.log(result.isError, result.structured);
 * ```
 *
 * @module
 */
import * as v from "valibot";
import type { Docker } from "../mod.ts";
import { type Mode, Policy, type SafetyOptions } from "./policy.ts";
import type { InputSchema, ToolAnnotations, ToolDef, ToolLevel } from "./tool.ts";
import { TOOLS } from "./catalog.ts";
import { type JsonSchemaObject, jsonSchemaOf } from "./json_schema.ts";
import { type ExecuteOptions, executeTool, type ToolResult } from "./call.ts";

export type { ConfirmAnswer, ConfirmRequest, ExecuteOptions, ProgressUpdate, ToolLink, ToolResult } from "./call.ts";
export { describeIssue } from "./issues.ts";
export type { Mode, SafetyOptions, ToolAnnotations, ToolDef, ToolLevel };
export { TOOLS };
export { MODES, Policy } from "./policy.ts";
export { defineTool, ToolRefusal } from "./tool.ts";

export { type JsonSchemaObject, jsonSchemaOf };

/** Options of {@link createToolCatalog}: the engine(s) and the operator's safety policy. */
export interface CatalogOptions extends SafetyOptions {
  /** The engine (one host, named `default`). */
  docker?: Docker;
  /** Several engines by name; tools then take an optional `host` argument. */
  hosts?: Record<string, Docker>;
  /** The host used when a call names none. Default: the first of `hosts`. */
  defaultHost?: string;
  /** The tools to offer (before the policy filters them). Default: every dockwire tool. */
  tools?: readonly ToolDef[];
}

/** One tool of a catalog, as an agent framework needs it. */
export interface CatalogTool {
  /** snake_case name (what the model calls). */
  readonly name: string;
  /** Human-readable title. */
  readonly title: string;
  /** What it does and returns, written for a model. */
  readonly description: string;
  /** `read`, `write` or `destructive`: which mode enables it. */
  readonly level: ToolLevel;
  /** readOnlyHint, destructiveHint, idempotentHint, openWorldHint. */
  readonly annotations: ToolAnnotations;
  /** The arguments as JSON Schema (draft 2020-12; includes `host` when the catalog has several engines). */
  readonly inputSchema: JsonSchemaObject;
  /** The structured result as JSON Schema. */
  readonly outputSchema: JsonSchemaObject;
  /** The arguments as the valibot schema they are validated with. */
  readonly input: InputSchema;
  /** The definition it was made from. */
  readonly def: ToolDef;
  /**
   * Run the tool: validate `args`, apply the policy, ask `confirm` for a
   * destructive call, run it against the engine. Failures (bad arguments,
   * refusals, engine errors, cancellation) are results with `isError`, as
   * a model should see them; only bugs throw.
   */
  execute(args: unknown, options?: ExecuteOptions): Promise<ToolResult>;
}

/** A tool name the catalog has never heard of (a tool outside the mode is an error result instead). */
export class UnknownToolError extends Error {
  override name = "UnknownToolError";
  /** The name asked for. */
  readonly tool: string;
  constructor(tool: string) {
    super(`Unknown tool: ${tool}`);
    this.tool = tool;
  }
}

/** The tools a policy enables, ready to hand to an agent. */
export interface ToolCatalog {
  /** The policy's mode. */
  readonly mode: Mode;
  /** The policy every call is checked against. */
  readonly policy: Policy;
  /** The enabled tools, read tools first, then write tools, then destructive ones. */
  readonly tools: readonly CatalogTool[];
  /** An enabled tool by name. */
  get(name: string): CatalogTool | undefined;
  /**
   * Call a tool by name. A known tool the policy does not enable resolves to
   * an error result saying which mode or list would enable it; a name no
   * tool has rejects with {@link UnknownToolError}.
   */
  call(name: string, args: unknown, options?: ExecuteOptions): Promise<ToolResult>;
}

const MODE_FOR: Record<ToolLevel, Mode> = { read: "read-only", write: "write", destructive: "full" };

/** Why a known tool is not enabled, for the model: the mode it needs or the list that excludes it. */
function notEnabled(def: ToolDef, policy: Policy): string {
  const head = `${def.name} exists but is not enabled: `;
  const probe = new Policy({ ...policy.options, mode: "full" });
  if (probe.allowsTool(def)) {
    const needs = MODE_FOR[def.level];
    return head + `the tools run in ${policy.mode} mode; it needs mode "${needs}" (--mode ${needs})`;
  }
  const onlyAllowList = new Policy({ ...policy.options, mode: "full", allowTools: undefined }).allowsTool(def);
  return head +
    (onlyAllowList
      ? "the operator's tool allow list (allowTools, --allow-tools) does not include it"
      : "the operator's tool deny list (denyTools, --deny-tools) excludes it");
}

/**
 * The tools the policy enables, with their JSON Schemas and `execute`.
 * Without `docker` or `hosts` the catalog can be listed but not run.
 *
 * @example
 * ```ts
 * const catalog = createToolCatalog({ docker, mode: "full" });
 * const rm = catalog.get("remove_container")!;
 * await rm.execute({ container: "web" }, { confirm: async (q) => window.confirm(q.message) });
 * ```
 */
export function createToolCatalog(options: CatalogOptions = {}): ToolCatalog {
  const hosts: Record<string, Docker> = options.hosts ?? (options.docker ? { default: options.docker } : {});
  const hostNames = Object.keys(hosts);
  const defaultHost = options.defaultHost ?? hostNames[0] ?? "default";
  if (hostNames.length && !hostNames.includes(defaultHost)) {
    throw new TypeError(`defaultHost ${JSON.stringify(defaultHost)} is not one of the hosts (${hostNames.join(", ")})`);
  }
  const policy = new Policy(options);
  const all = options.tools ?? TOOLS;
  const tools: CatalogTool[] = [];
  for (const def of all) {
    if (!policy.allowsTool(def)) continue;
    const base = def.inputFor?.(policy) ?? def.input;
    const input: InputSchema = hostNames.length > 1
      ? v.strictObject({
        ...base.entries,
        host: v.optional(
          v.pipe(v.picklist(hostNames), v.description(`Docker host to use (default ${JSON.stringify(defaultHost)}).`)),
        ),
      })
      : base;
    tools.push({
      name: def.name,
      title: def.title,
      description: def.description,
      level: def.level,
      annotations: def.annotations,
      inputSchema: jsonSchemaOf(input, "input"),
      outputSchema: jsonSchemaOf(def.output, "output"),
      input,
      def,
      execute: (args, callOptions = {}) => {
        if (!hostNames.length) {
          return Promise.reject(new TypeError(`${def.name}: the catalog has no engine (give \`docker\` or \`hosts\`)`));
        }
        return executeTool(def, input, args, {
          hosts,
          defaultHost,
          policy,
          allowDestructive: options.allowDestructive === true,
        }, callOptions);
      },
    });
  }
  const byName = new Map(tools.map((t) => [t.name, t]));
  return {
    mode: policy.mode,
    policy,
    tools,
    get: (name) => byName.get(name),
    call(name, args, callOptions) {
      const tool = byName.get(name);
      if (tool) return tool.execute(args, callOptions);
      const known = all.find((d) => d.name === name);
      if (!known) return Promise.reject(new UnknownToolError(name));
      return Promise.resolve({ isError: true, text: notEnabled(known, policy) });
    },
  };
}

export {
  type AdapterOptions,
  aiSdkTools,
  langChainTools,
  type ModelResult,
  openAiAgentsTools,
} from "./tools_adapters.ts";
