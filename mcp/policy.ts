/**
 * The operator's safety policy: which tools are registered, which image and
 * container names may be touched, which host settings containers may get.
 *
 * @module
 */
import type { AuthConfig, Docker } from "../mod.ts";
import { matchesAny } from "../lib/policy/glob.ts";
import {
  allowsImageName,
  allowsImageNames,
  type CheckedImage,
  checkImage,
  checkImageName,
  hasImageRules,
} from "../lib/policy/images.ts";
import { checkDockerfile, type DockerfileImage } from "../lib/policy/dockerfile.ts";
import { referenceNames } from "../lib/policy/image_names.ts";
import { Refusal } from "../lib/policy/refusal.ts";
import { type ToolDef, type ToolLevel, ToolRefusal } from "./tool.ts";

/** Server mode: `read-only` (default), `write` (adds write tools), `full` (adds destructive tools). */
export type Mode = "read-only" | "write" | "full";

/** The modes, for argument checking. */
export const MODES: readonly Mode[] = ["read-only", "write", "full"];

/** Safety options chosen by the operator when the server starts. */
export interface SafetyOptions {
  /** Default `read-only`. */
  mode?: Mode;
  /** Only these tools (names or `*` globs) are registered, when given. */
  allowTools?: string[];
  /** These tools (names or globs) are never registered. */
  denyTools?: string[];
  /** Only images matching these globs may be used (pull, run, inspect ...), when given. */
  allowImages?: string[];
  /** Images with any name (tag, digest, id) matching these globs may not be used. */
  denyImages?: string[];
  /** Let build_image use `FROM $ARG` / `--from=$ARG` (their defaults are checked where known). Default false. */
  allowDockerfileArgs?: boolean;
  /** Only containers whose name matches these globs may be touched, when given. */
  allowContainers?: string[];
  /** Containers whose name matches these globs may not be touched. */
  denyContainers?: string[];
  /** Run destructive tools without confirmation when the client cannot be asked (no elicitation). */
  allowDestructive?: boolean;
  /** Let create/run set `privileged`. */
  allowPrivileged?: boolean;
  /** Let create/run use the host's network, PID or IPC namespace. */
  allowHostNamespaces?: boolean;
  /** Let create/run map host devices. */
  allowDevices?: boolean;
  /** Let create/run add capabilities. */
  allowCapAdd?: boolean;
  /** Host directories create/run may bind-mount read-only (and their subdirectories, forced read-only). Default: none. */
  allowedBindPaths?: string[];
  /**
   * Host directories create/run may bind-mount read-write, each only exactly
   * (nothing below it: a container may have planted a symlink there). Default: none.
   */
  allowedBindPathsRw?: string[];
  /** Host directories build_image may use as its context (and their subdirectories). Default: none. */
  allowedBuildPaths?: string[];
  /** Registry credentials by registry host (`docker.io`, `127.0.0.1:5000`) for pull and push; never taken from the model. */
  registryAuth?: Record<string, AuthConfig>;
  /** Show secret-looking environment values in inspect results. Default false (masked). */
  revealSecrets?: boolean;
  /**
   * exec_container runs these commands (names or globs, matched against the
   * first argument as given, e.g. `ls`, `cat`, `/usr/bin/*`) without asking the
   * user, when the call passes no `env`. Only the command is matched, not its
   * arguments: list commands that cannot run others (not `sh`, `env`, `xargs`,
   * `find`). Default: none.
   */
  execAllowCommands?: string[];
  /** `false`: exec_container never asks the user (write mode already allows it). Default true. */
  execConfirm?: boolean;
}

/** The one glob dialect (lib/policy/glob.ts), re-exported for the MCP API. */
export { globToRegExp } from "../lib/policy/glob.ts";

/** A policy refusal as the MCP server reports it. */
function toToolRefusal(err: unknown): unknown {
  if (!(err instanceof Refusal)) return err;
  return new ToolRefusal(`Refused by the server's policy: ${err.message} (rule ${err.rule})`);
}

const LEVELS: Record<Mode, ToolLevel[]> = {
  "read-only": ["read"],
  write: ["read", "write"],
  full: ["read", "write", "destructive"],
};

/** The policy, with checks the tools call. */
export class Policy {
  /** The options it was built from. */
  readonly options: SafetyOptions;
  /** The mode. */
  readonly mode: Mode;

  constructor(options: SafetyOptions = {}) {
    this.options = options;
    this.mode = options.mode ?? "read-only";
    if (!MODES.includes(this.mode)) throw new TypeError(`unknown mode ${JSON.stringify(this.mode)}`);
  }

  /** Whether a tool is registered under this policy. */
  allowsTool(tool: Pick<ToolDef, "name" | "level">): boolean {
    if (!LEVELS[this.mode].includes(tool.level)) return false;
    if (this.options.allowTools && !matchesAny(this.options.allowTools, [tool.name])) return false;
    return !matchesAny(this.options.denyTools, [tool.name]);
  }

  /**
   * Whether an image name is allowed by its spellings alone (as given,
   * `:latest`, `docker.io/library/`); for names that are not resolved (a
   * listing's tags, a tag about to be created).
   */
  allowsImage(ref: string): boolean {
    return allowsImageName(this.options, ref);
  }

  /** Whether image lists are set (then image references are resolved through the engine). */
  get hasImageRules(): boolean {
    return hasImageRules(this.options);
  }

  /** Throw a {@link ToolRefusal} unless a name about to be created (tag, build or commit target) is allowed. */
  checkImageName(ref: string): void {
    try {
      checkImageName(this.options, ref);
    } catch (err) {
      throw toToolRefusal(err);
    }
  }

  /**
   * Throw a {@link ToolRefusal} unless the image is allowed: the reference is
   * resolved through the engine and every name of the image (tags, digests,
   * id) is matched, so an id or an alias cannot stand in for a denied image.
   * `pull`: the reference is about to be pulled (an unknown digest is then
   * matched by its name).
   */
  async checkImage(
    docker: Docker,
    ref: string,
    signal?: AbortSignal,
    options: { pull?: boolean } = {},
  ): Promise<CheckedImage> {
    try {
      return await checkImage(this.options, docker, ref, { signal, pull: options.pull });
    } catch (err) {
      throw toToolRefusal(err);
    }
  }

  /** A lib/policy {@link Refusal} as the {@link ToolRefusal} the server reports (other errors as they are). */
  refusal(err: unknown): unknown {
    return toToolRefusal(err);
  }

  /** Whether an image with these names (tags, digests, id) is allowed: none denied, one allowed when listed. */
  allowsImageNames(names: string[]): boolean {
    return allowsImageNames(this.options, names);
  }

  /** Throw a {@link ToolRefusal} unless a Dockerfile passes the Dockerfile and image rules. */
  async checkDockerfile(docker: Docker, text: string, signal?: AbortSignal): Promise<DockerfileImage[]> {
    try {
      return await checkDockerfile(this.options, docker, text, { signal });
    } catch (err) {
      throw toToolRefusal(err);
    }
  }

  /** Whether container name patterns are configured (then names must be looked up). */
  get hasContainerRules(): boolean {
    return !!(this.options.allowContainers || this.options.denyContainers);
  }

  /** Whether a container with these names (leading `/` ignored) and id is allowed. */
  allowsContainer(names: string[]): boolean {
    const ns = names.map((n) => n.replace(/^\//, ""));
    if (this.options.allowContainers && !matchesAny(this.options.allowContainers, ns)) return false;
    return !matchesAny(this.options.denyContainers, ns);
  }

  /**
   * Whether exec_container must ask the user before running `cmd`: yes unless
   * `execConfirm` is false or the command is in `execAllowCommands` and no
   * environment is passed (`PATH` or `LD_PRELOAD` would make an allowed name
   * run something else).
   */
  execNeedsConfirmation(cmd: readonly string[], env?: readonly string[]): boolean {
    if (this.options.execConfirm === false) return false;
    if (env && env.length > 0) return true;
    return !(cmd.length > 0 && matchesAny(this.options.execAllowCommands, [cmd[0]]));
  }

  /**
   * Throw a {@link ToolRefusal} unless the container is allowed. With name
   * rules the container is inspected, so an id cannot get around a name rule.
   */
  async checkContainer(docker: Docker, ref: string, signal?: AbortSignal): Promise<void> {
    if (!this.hasContainerRules) return;
    const info = await docker.containers.inspect(ref, { signal });
    const name = String(info.Name ?? "").replace(/^\//, "");
    if (!this.allowsContainer([name])) {
      throw new ToolRefusal(`Refused by the server's policy: container ${JSON.stringify(name)} is not allowed`);
    }
  }
}

/** The names an image reference is matched under (see lib/policy/image_names.ts). */
export function imageNames(ref: string): string[] {
  return referenceNames(ref);
}
