/**
 * One tool call, from the arguments a model sent to the result it reads:
 * validation, the policy, confirmation of destructive calls, the run,
 * progress and cancellation, and the structured result checked against the
 * tool's output schema. Shared by the in-process catalog (tools_catalog.ts)
 * and the MCP server, which maps its requests onto it.
 *
 * @module
 */
import * as v from "valibot";
import { type Docker, DockerArgumentError, DockerError } from "../mod.ts";
import { Refusal } from "../lib/policy/refusal.ts";
import type { Policy } from "./policy.ts";
import { type InputSchema, type ToolContext, type ToolDef, type ToolLink, ToolRefusal } from "./tool.ts";

export type { ToolLink };
import { describeIssue } from "./issues.ts";

/** What a tool call returns: to show a model as it is, or to map onto a framework's result. */
export interface ToolResult {
  /** True when the call failed or was refused; `text` says why. */
  isError: boolean;
  /** The text rendering (container output in it is fenced as untrusted data), or the error. */
  text: string;
  /** The structured result (plain JSON, checked against the tool's output schema); absent on errors. */
  structured?: Record<string, unknown>;
  /** Resource links after the text (MCP resources; an in-process host may ignore them). */
  links?: ToolLink[];
  /** For bad arguments: the argument's dot path. */
  field?: string;
  /** For engine errors: the HTTP status the engine answered. */
  status?: number;
}

/** A progress update of a long call (pull, build, run ...). */
export interface ProgressUpdate {
  /** What is happening (a status line, a build step). */
  message: string;
  /** Increases with every update. */
  progress: number;
  /** The total, when known. */
  total?: number;
}

/** What `confirm` is asked about a destructive call. */
export interface ConfirmRequest {
  /** The tool, e.g. `remove_container`. */
  tool: string;
  /** Its title, e.g. `Remove container`. */
  title: string;
  /** The container or image as the model named it. */
  target: string;
  /** The question to show the user, with the target described (`"web" (813c1a2b3c4d, image busybox, running)`). */
  message: string;
  /** The validated arguments. */
  args: Record<string, unknown>;
  /** Aborted when the call is cancelled. */
  signal: AbortSignal;
}

/** `confirm`'s answer: true/`accept` to go on; false, `decline` or `cancel` to refuse. */
export type ConfirmAnswer = boolean | "accept" | "decline" | "cancel";

/** Per-call options of `execute`. */
export interface ExecuteOptions {
  /** Cancels the call (the engine request is aborted; the result says `cancelled`). */
  signal?: AbortSignal;
  /** Progress of long calls. */
  onProgress?: (update: ProgressUpdate) => void | Promise<void>;
  /**
   * Ask the user (never the model) to confirm a destructive call. Without
   * it, destructive calls are refused unless the operator set `allowDestructive`.
   */
  confirm?: (request: ConfirmRequest) => ConfirmAnswer | Promise<ConfirmAnswer>;
}

/** What a catalog gives every call. */
export interface CallEnvironment {
  hosts: Record<string, Docker>;
  defaultHost: string;
  policy: Policy;
  /** Run destructive tools without asking when nobody can be asked. */
  allowDestructive: boolean;
}

function failure(text: string, extra: Partial<ToolResult> = {}): ToolResult {
  return { isError: true, text, ...extra };
}

const NEVER = new AbortController().signal;

/** Run one call of `def` with `input` (its effective argument schema) and turn every failure into a result. */
export async function executeTool(
  def: ToolDef,
  input: InputSchema,
  rawArgs: unknown,
  env: CallEnvironment,
  options: ExecuteOptions,
): Promise<ToolResult> {
  const parsed = v.safeParse(input, rawArgs ?? {});
  if (!parsed.success) {
    const { field, message } = describeIssue(parsed.issues[0]);
    return failure(`${def.name}: ${message}`, { field });
  }
  const { host: hostArg, ...args } = parsed.output as Record<string, unknown> & { host?: string };
  const host = hostArg ?? env.defaultHost;
  const signal = options.signal ?? NEVER;
  let step = 0;
  const ctx: ToolContext = {
    docker: env.hosts[host],
    host,
    defaultHost: env.defaultHost,
    signal,
    policy: env.policy,
    progress: async (message, progress, total) => {
      if (!options.onProgress || signal.aborted) return;
      step = Math.max(step + 1, progress ?? 0);
      await options.onProgress({ message, progress: step, ...(total ? { total } : {}) });
    },
  };
  try {
    if (def.annotations.destructiveHint && def.needsConfirmation?.(args as never, ctx) !== false) {
      // The target first (it exists, the policy allows it): nobody is asked about a missing or denied one.
      const what = await def.confirmTarget?.(args as never, ctx);
      const refusal = await confirmCall(def, args, what, env.allowDestructive, options.confirm, signal);
      if (refusal) return failure(refusal);
    }
    const reply = await def.run(args as never, ctx);
    // Checked against the output schema, then made plain JSON (undefined fields dropped) as any transport would.
    const structured = JSON.parse(JSON.stringify(v.parse(def.output, reply.structured))) as Record<string, unknown>;
    return { isError: false, text: reply.text, structured, ...(reply.links?.length ? { links: reply.links } : {}) };
  } catch (err) {
    if (signal.aborted) return failure(`${def.name}: cancelled`);
    if (err instanceof ToolRefusal) return failure(err.message);
    if (err instanceof Refusal) return failure(`Refused by the server's policy: ${err.message} (rule ${err.rule})`);
    if (err instanceof DockerArgumentError) return failure(err.message, { field: err.field });
    if (err instanceof DockerError) {
      const engine = err.engineMessage ? ` (engine: ${err.engineMessage})` : "";
      return failure(`${err.message}${err.message.includes(err.engineMessage ?? "\0") ? "" : engine}`, {
        status: err.status,
      });
    }
    if (err instanceof v.ValiError) return failure(`${def.name}: internal result check failed: ${err.message}`);
    throw err;
  }
}

/**
 * Ask `confirm` about a destructive call (every tool with
 * `destructiveHint`), showing what the target is (`what`, from the tool's
 * `confirmTarget`). Resolves to a refusal message, or undefined to go on.
 */
async function confirmCall(
  def: ToolDef,
  args: Record<string, unknown>,
  what: string | undefined,
  allowWithoutAsking: boolean,
  confirm: ExecuteOptions["confirm"],
  signal: AbortSignal,
): Promise<string | undefined> {
  const target = String(args.container ?? args.image ?? "");
  if (!confirm) {
    if (allowWithoutAsking) return undefined;
    return `${def.name} refused: destructive calls need confirmation, and nobody can be asked ` +
      `(no confirm callback in process; no elicitation support in the MCP client); ` +
      `the operator can allow them without asking (allowDestructive, --allow-destructive)`;
  }
  const { container: _c, image: _i, ...rest } = args;
  const optionsText = Object.keys(rest).length ? ` Options: ${JSON.stringify(rest)}.` : "";
  const answer = await confirm({
    tool: def.name,
    title: def.title,
    target,
    message: `${def.title} ${what ?? JSON.stringify(target)}?${optionsText}`,
    args,
    signal,
  });
  if (answer === true || answer === "accept") return undefined;
  const action = answer === false ? "decline" : answer;
  return `${def.name} on ${JSON.stringify(target)} was not confirmed by the user (${action}); nothing was changed`;
}
