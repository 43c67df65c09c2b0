/**
 * What a tool is: its catalog entry (name, title, description, annotations,
 * valibot input and output schemas), its safety level, and the function that
 * runs it against an engine.
 *
 * @module
 */
import * as v from "valibot";
import type { Docker } from "../mod.ts";
import type { Policy } from "./policy.ts";

/** How much a tool can change: `read` (read-only mode), `write` (write mode), `destructive` (full mode only). */
export type ToolLevel = "read" | "write" | "destructive";

/** The four MCP tool annotations, always set explicitly. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/**
 * A link to a resource a reply refers to (MCP `resource_link` content, e.g. a
 * large container file to read with resources/read). Written out rather than
 * taken from the MCP SDK, so the tools load and type-check without it.
 */
export interface ToolLink {
  type: "resource_link";
  uri: string;
  name: string;
  mimeType?: string;
  size?: number;
  description?: string;
}

/** A tool's reply: the structured content (checked against the output schema) and a short text rendering. */
export interface ToolReply<O> {
  structured: O;
  text: string;
  /** Resource links added to the content after the text (e.g. a large file to read with resources/read). */
  links?: ToolLink[];
}

/** What a running tool gets. */
export interface ToolContext {
  /** The engine the call is for. */
  docker: Docker;
  /** That engine's name (`default` when the server has one). */
  host: string;
  /** The name of the engine used when a call names none. */
  defaultHost: string;
  /** Aborted when the client cancels the request (or the connection closes). */
  signal: AbortSignal;
  /** The operator's policy. */
  policy: Policy;
  /** Send a progress notification (a no-op when the client sent no progressToken). */
  progress(message: string, progress?: number, total?: number): Promise<void>;
}

/** Any input schema: a strict object (so unknown keys are refused and `host` can be added). */
// deno-lint-ignore no-explicit-any
export type InputSchema = v.StrictObjectSchema<v.ObjectEntries, any>;

/** One tool of the catalog. */
export interface ToolDef<I extends InputSchema = InputSchema, O = unknown> {
  /** snake_case tool name. */
  name: string;
  /** Human-readable title. */
  title: string;
  /** What it does, when to use it, what it returns: written for a model. */
  description: string;
  /** Which mode registers it. */
  level: ToolLevel;
  /** The MCP annotations. */
  annotations: ToolAnnotations;
  /** Arguments, validated on every call. */
  input: I;
  /**
   * The arguments this policy offers, when they depend on it (e.g. a
   * `directory` only when the operator allowed build paths); a subset of
   * `input`. Default: `input`.
   */
  inputFor?(policy: Policy): InputSchema;
  /** Structured result, validated before it is sent. */
  // deno-lint-ignore no-explicit-any
  output: v.GenericSchema<any, O>;
  /**
   * For tools the user confirms (`destructiveHint`): check the target (it
   * exists, the policy allows it) and describe it for the question, e.g.
   * `"web" (813c1a2b3c4d, image nginx:1.25, running)`. Runs before the user
   * is asked; what it throws is the call's result, and nobody is asked.
   */
  confirmTarget?(args: v.InferOutput<I>, ctx: ToolContext): Promise<string>;
  /**
   * For tools the user confirms: whether this call needs it (e.g. an exec of a
   * command the operator allow-listed does not). Default: every call.
   */
  needsConfirmation?(args: v.InferOutput<I>, ctx: ToolContext): boolean;
  /** Run the tool. Throw a DockerError for engine failures, a ToolRefusal for policy refusals. */
  run(args: v.InferOutput<I>, ctx: ToolContext): Promise<ToolReply<O>>;
}

/** Define a tool (keeps the argument and result types tied to the schemas). */
export function defineTool<I extends InputSchema, O>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** A call refused by the server's policy (mode, lists, host config rules, declined confirmation). */
export class ToolRefusal extends Error {
  override name = "ToolRefusal";
}

/** Annotations of a tool that only reads the engine. */
export const READ: ToolAnnotations = {
  readOnlyHint: true,
  destructiveHint: false,
  idempotentHint: true,
  openWorldHint: false,
};

/** A container id or name, as tools take it. */
export const ContainerArg = v.pipe(
  v.string(),
  v.regex(/^\/?[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "expected a container id or name"),
  v.maxLength(256),
  v.description("Container id (full or unique prefix) or name."),
);

/** An image reference, as tools take it. */
export const ImageArg = v.pipe(
  v.string(),
  v.nonEmpty("must not be empty"),
  v.maxLength(512),
  v.description("Image reference: [registry/]name[:tag][@digest], or an image id."),
);
