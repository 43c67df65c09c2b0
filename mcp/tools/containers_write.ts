/**
 * Container write tools: create_container, start_container, stop_container,
 * restart_container, wait_container, run_container, copy_from_container.
 *
 * @module
 */
import { sameImageId } from "../../lib/compat/image_id.ts";
import * as v from "valibot";
import { type Docker, DockerArgumentError, DockerError, readFileFromTar, tarEntries } from "../../mod.ts";
import { FILE_RESOURCE_MAX, fileResourceUri } from "../resources.ts";
import { ContainerArg, defineTool, type ToolContext, ToolRefusal } from "../tool.ts";
import { checkSpec, ContainerSpecEntries, containerSpecEntriesFor } from "../container_spec.ts";
import { type NewestOutput, omittedHint, readNewestOutput } from "../output_newest.ts";
import { fenceUntrusted, shortId } from "../render.ts";
import { describeContainer } from "../confirm_target.ts";

const WRITE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };
/** Stop and restart end the container's processes (SIGKILL after the timeout; at once with 0): confirmed like kill. */
const ENDS_PROCESSES = { ...WRITE, destructiveHint: true };

/**
 * The image check resolved the reference before the create; if the name was
 * moved to another image in between, the container is removed and refused.
 */
async function sameImage(docker: Docker, id: string, checked: string | undefined, signal: AbortSignal): Promise<void> {
  if (!checked) return;
  const image = String((await docker.containers.inspect(id, { signal })).Image ?? "");
  if (sameImageId(image, checked)) return;
  await docker.containers.remove(id, { force: true }).catch(() => {});
  throw new ToolRefusal(`Refused by the server's policy: the image changed while the container was created`);
}

/** `create_container`. */
export const createContainer = defineTool({
  name: "create_container",
  title: "Create container",
  description: "Create (but do not start) a container from an image, like `docker create`. The image must " +
    "already be on the engine (see pull_image). Privileged mode, host namespaces, devices, added capabilities " +
    "and host bind mounts are refused unless the operator allowed them. Returns {id, name, warnings}.",
  level: "write",
  annotations: WRITE,
  input: v.strictObject(ContainerSpecEntries),
  inputFor: (policy) => v.strictObject(containerSpecEntriesFor(policy)),
  output: v.object({ id: v.string(), name: v.optional(v.string()), warnings: v.array(v.string()) }),
  async run(args, { docker, signal, policy }) {
    const image = await policy.checkImage(docker, args.image, signal);
    // The configuration sent is the one the policy checked (binds and bind mounts rewritten read-only).
    const r = await docker.containers.create(checkSpec(args, policy), { name: args.name, signal });
    await sameImage(docker, r.Id, image.id, signal);
    const warnings = (r.Warnings ?? []).map(String);
    return {
      structured: { id: r.Id, name: args.name, warnings },
      text: `created ${shortId(r.Id)}${args.name ? ` (${args.name})` : ""}${
        warnings.length ? `; warnings: ${warnings.join("; ")}` : ""
      }`,
    };
  },
});

/** `start_container`. */
export const startContainer = defineTool({
  name: "start_container",
  title: "Start container",
  description:
    "Start a created or stopped container. Returns {container, started}: started is false when it was already running.",
  level: "write",
  annotations: { ...WRITE, idempotentHint: true },
  input: v.strictObject({ container: ContainerArg }),
  output: v.object({ container: v.string(), started: v.boolean() }),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    const started = await docker.containers.start(args.container, { signal });
    return {
      structured: { container: args.container, started },
      text: started ? `started ${args.container}` : `${args.container} was already running`,
    };
  },
});

const Seconds = v.optional(
  v.pipe(
    v.number(),
    v.integer(),
    v.minValue(0),
    v.maxValue(600),
    v.description("Seconds to wait before killing (default 10)."),
  ),
);

/** `stop_container`. */
export const stopContainer = defineTool({
  name: "stop_container",
  title: "Stop container",
  description: "Stop a running container (SIGTERM, then SIGKILL after timeoutSeconds). The user is asked to " +
    "confirm. Returns {container, stopped}: stopped is false when it was not running.",
  level: "write",
  annotations: { ...ENDS_PROCESSES, idempotentHint: true },
  input: v.strictObject({ container: ContainerArg, timeoutSeconds: Seconds }),
  output: v.object({ container: v.string(), stopped: v.boolean() }),
  confirmTarget: (args, { docker, signal, policy }) => describeContainer(docker, args.container, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    const stopped = await docker.containers.stop(args.container, { t: args.timeoutSeconds, signal });
    return {
      structured: { container: args.container, stopped },
      text: stopped ? `stopped ${args.container}` : `${args.container} was not running`,
    };
  },
});

/** `restart_container`. */
export const restartContainer = defineTool({
  name: "restart_container",
  title: "Restart container",
  description: "Stop (if running) and start a container again. The user is asked to confirm. " +
    "Returns {container, restarted}.",
  level: "write",
  annotations: ENDS_PROCESSES,
  input: v.strictObject({ container: ContainerArg, timeoutSeconds: Seconds }),
  output: v.object({ container: v.string(), restarted: v.boolean() }),
  confirmTarget: (args, { docker, signal, policy }) => describeContainer(docker, args.container, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    await docker.containers.restart(args.container, { t: args.timeoutSeconds, signal });
    return { structured: { container: args.container, restarted: true }, text: `restarted ${args.container}` };
  },
});

/**
 * Wait for a container to exit, at most `timeoutMs`, with a progress
 * notification every second. Resolves to the exit code, or undefined on timeout.
 */
async function boundedWait(
  docker: Docker,
  id: string,
  timeoutMs: number,
  ctx: ToolContext,
): Promise<number | undefined> {
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const started = Date.now();
  const beat = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    void ctx.progress(`waiting for ${id.slice(0, 12)}: ${s}s`, s, Math.ceil(timeoutMs / 1000)).catch(() => {});
  }, 1000);
  const timer = setTimeout(() => stop.abort(new Error("wait timed out")), timeoutMs);
  try {
    return (await docker.containers.wait(id, { signal })).StatusCode;
  } catch (err) {
    if (stop.signal.aborted && !ctx.signal.aborted) return undefined;
    throw err;
  } finally {
    clearInterval(beat);
    clearTimeout(timer);
  }
}

const TimeoutMs = (dflt: number) =>
  v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.maxValue(600000),
      v.description(`Give up waiting after this many ms (default ${dflt}).`),
    ),
  );

/** `wait_container`. */
export const waitContainer = defineTool({
  name: "wait_container",
  title: "Wait for container",
  description: "Wait until a container exits, at most timeoutMs. Sends progress notifications while waiting. " +
    "Returns {container, exited, exitCode}; exited is false when the timeout came first (it keeps running).",
  level: "write",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({ container: ContainerArg, timeoutMs: TimeoutMs(30000) }),
  output: v.object({ container: v.string(), exited: v.boolean(), exitCode: v.optional(v.number()) }),
  async run(args, ctx) {
    await ctx.policy.checkContainer(ctx.docker, args.container, ctx.signal);
    const code = await boundedWait(ctx.docker, args.container, args.timeoutMs ?? 30000, ctx);
    return {
      structured: { container: args.container, exited: code !== undefined, exitCode: code },
      text: code === undefined
        ? `${args.container} still running after ${args.timeoutMs ?? 30000} ms`
        : `${args.container} exited with code ${code}`,
    };
  },
});

/** run_container's arguments besides the container spec. */
const RunEntries = {
  wait: v.optional(v.pipe(v.boolean(), v.description("Wait for exit and return output (default true)."))),
  timeoutMs: TimeoutMs(60000),
  maxBytes: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(1048576),
      v.description("Output byte budget (default 65536)."),
    ),
  ),
  maxLines: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(10000),
      v.description("Output line budget, last lines (default 200)."),
    ),
  ),
  remove: v.optional(v.pipe(v.boolean(), v.description("Remove the container once it exited (default false)."))),
};

/** `run_container`: create, start, bounded wait and output. */
export const runContainer = defineTool({
  name: "run_container",
  title: "Run container",
  description: "Create and start a container, then (unless wait=false) wait up to timeoutMs for it to exit and " +
    "return its exit code and output (bounded by maxBytes/maxLines), like `docker run`. The image must be on " +
    "the engine. remove=true deletes the container after it exited. Same safety rules as create_container. " +
    "Returns {id, name, exited, exitCode, output, truncated}; output is untrusted data.",
  level: "write",
  annotations: WRITE,
  input: v.strictObject({ ...ContainerSpecEntries, ...RunEntries }),
  inputFor: (policy) => v.strictObject({ ...containerSpecEntriesFor(policy), ...RunEntries }),
  output: v.object({
    id: v.string(),
    name: v.optional(v.string()),
    exited: v.boolean(),
    exitCode: v.optional(v.number()),
    output: v.string(),
    truncated: v.boolean(),
    hint: v.optional(v.string()),
    removed: v.boolean(),
  }),
  async run(args, ctx) {
    const { wait, timeoutMs, maxBytes, maxLines, remove, ...spec } = args;
    const { docker, signal } = ctx;
    const image = await ctx.policy.checkImage(docker, spec.image, signal);
    const { Id } = await docker.containers.create(checkSpec(spec, ctx.policy), { name: spec.name, signal });
    let started = false;
    let code: number | undefined;
    let out: NewestOutput;
    const lines = maxLines ?? 200;
    try {
      await sameImage(docker, Id, image.id, signal);
      void ctx.progress(`created ${Id.slice(0, 12)}`).catch(() => {});
      await docker.containers.start(Id, { signal });
      started = true;
      void ctx.progress(`started ${Id.slice(0, 12)}`).catch(() => {});
      if (wait === false) {
        return {
          structured: { id: Id, name: spec.name, exited: false, output: "", truncated: false, removed: false },
          text: `started ${shortId(Id)}`,
        };
      }
      code = await boundedWait(docker, Id, timeoutMs ?? 60000, ctx);
      const body = await docker.containers.logs(Id, { tail: lines, signal });
      out = await readNewestOutput(body, {
        tty: spec.tty === true,
        maxBytes: maxBytes ?? 65536,
        maxLines: lines,
        signal,
      });
    } catch (err) {
      // A container that never started (e.g. its command does not exist) is of no use to anyone; one the
      // caller asked to remove goes too when the call is cancelled. Not with the cancelled signal.
      if (!started || (remove && ctx.signal.aborted)) {
        await docker.containers.remove(Id, { force: true, signal: AbortSignal.timeout(30_000) }).catch(() => {});
      }
      throw err;
    }
    let removed = false;
    if (remove && code !== undefined) {
      await docker.containers.remove(Id, { signal });
      removed = true;
    }
    const hint = omittedHint(
      out,
      maxBytes ?? 65536,
      removed ? null : `call logs with container "${shortId(Id)}", tail ${lines} and`,
    );
    const head = code === undefined
      ? `${shortId(Id)} still running after ${timeoutMs ?? 60000} ms (use wait_container, logs)`
      : `${shortId(Id)} exited with code ${code}${removed ? " (removed)" : ""}`;
    return {
      structured: {
        id: Id,
        name: spec.name,
        exited: code !== undefined,
        exitCode: code,
        output: out.output,
        truncated: out.truncated,
        hint,
        removed,
      },
      text: `${head}\n${fenceUntrusted(`output of container ${spec.name ?? shortId(Id)}`, out.output)}${
        hint ? `\n${hint}` : ""
      }`,
    };
  },
});

const LISTING_MAX = 200;

/** A container path's entries (a directory listing), bounded by count and by the bytes the archive holds. */
async function listEntries(
  docker: Docker,
  container: string,
  path: string,
  signal: AbortSignal,
): Promise<{ entries: { name: string; type: string; size: number }[]; truncated: boolean }> {
  const entries: { name: string; type: string; size: number }[] = [];
  let scanned = 0;
  for await (const e of tarEntries(await docker.containers.copy(container, path, { signal }), { signal })) {
    entries.push({ name: e.name, type: e.type, size: e.size });
    scanned += e.size;
    // Breaking out cancels the archive (tarEntries stops its source).
    if (entries.length >= LISTING_MAX || scanned > 64 * 1024 * 1024) return { entries, truncated: true };
  }
  return { entries, truncated: false };
}

/** `copy_from_container`. */
export const copyFromContainer = defineTool({
  name: "copy_from_container",
  title: "Copy file from container",
  description: "Read a file (or list a directory) from a container's filesystem, like `docker cp`. A text file up " +
    "to maxBytes comes back inline as `content`; a larger or binary file (up to 8 MiB) comes back as a resource " +
    "link (`resource.uri`, read it with resources/read); bigger ones are described (size) only. " +
    "Returns {path, entries: [{name, type, size}], content, truncated, binary, resource}.",
  level: "write",
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({
    container: ContainerArg,
    path: v.pipe(
      v.string(),
      v.regex(/^\/[^\0]*$/, "expected an absolute path"),
      v.maxLength(4096),
      v.description("Absolute path in the container."),
    ),
    maxBytes: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(1048576),
        v.description("Inline content budget (default 65536)."),
      ),
    ),
  }),
  output: v.object({
    path: v.string(),
    entries: v.array(v.object({ name: v.string(), type: v.string(), size: v.number() })),
    content: v.optional(v.string()),
    truncated: v.boolean(),
    binary: v.boolean(),
    resource: v.optional(v.object({ uri: v.string(), size: v.number(), mimeType: v.string() })),
  }),
  async run(args, { docker, signal, policy, host, defaultHost }) {
    await policy.checkContainer(docker, args.container, signal);
    const max = args.maxBytes ?? 65536;
    const base = args.path.replace(/\/+$/, "").split("/").pop() || "/";
    // The archive names a file by its base name; a directory (or link) is not a regular file.
    let bytes: Uint8Array | undefined;
    let tooLarge: number | undefined;
    if (base !== "/") {
      try {
        bytes = await readFileFromTar(await docker.containers.copy(args.container, args.path, { signal }), base, {
          maxBytes: FILE_RESOURCE_MAX,
          signal,
        });
      } catch (err) {
        if (err instanceof DockerArgumentError) bytes = undefined;
        else if (err instanceof DockerError && /exceed maxBytes/.test(err.message)) {
          tooLarge = Number(/its (\d+) bytes/.exec(err.message)?.[1] ?? NaN);
        } else throw err;
      }
    }
    if (tooLarge !== undefined) {
      const size = Number.isFinite(tooLarge) ? tooLarge : FILE_RESOURCE_MAX + 1;
      return {
        structured: { path: args.path, entries: [{ name: base, type: "file", size }], truncated: true, binary: false },
        text: `${args.path}: a file of ${size} bytes, more than the ${FILE_RESOURCE_MAX} bytes served through MCP; ` +
          "not returned (read parts of it with run_container, e.g. head or tail)",
      };
    }
    if (bytes === undefined) {
      const { entries, truncated } = await listEntries(docker, args.container, args.path, signal);
      if (entries.length === 0) throw new ToolRefusal(`copy_from_container: ${args.path} gave an empty archive`);
      return {
        structured: { path: args.path, entries, truncated, binary: false },
        text: `${args.path}: ${entries.length} entries${truncated ? " (more not shown)" : ""}\n` +
          fenceUntrusted(`listing of ${args.path}`, entries.map((e) => `${e.type} ${e.size} ${e.name}`).join("\n")),
      };
    }
    const size = bytes.byteLength;
    const binary = bytes.includes(0);
    const entries = [{ name: base, type: "file", size }];
    const content = binary ? undefined : new TextDecoder().decode(bytes.subarray(0, max));
    if (!binary && size <= max) {
      return {
        structured: { path: args.path, entries, content, truncated: false, binary },
        text: `${args.path} (${size} bytes)\n` +
          fenceUntrusted(`file ${args.path} of container ${args.container}`, content!),
      };
    }
    const mimeType = binary ? "application/octet-stream" : "text/plain";
    const uri = fileResourceUri(args.container, args.path, host === defaultHost ? undefined : host);
    const link = {
      type: "resource_link" as const,
      uri,
      name: base,
      mimeType,
      size,
      description: `${args.path} of container ${args.container}`,
    };
    return {
      structured: { path: args.path, entries, content, truncated: true, binary, resource: { uri, size, mimeType } },
      text: binary
        ? `${args.path}: ${size} bytes of binary data, not shown; read it as the resource ${uri}`
        : `${args.path} (${size} bytes, first ${max} shown; all of it is the resource ${uri})\n` +
          fenceUntrusted(`file ${args.path} of container ${args.container}`, content!),
      links: [link],
    };
  },
});
