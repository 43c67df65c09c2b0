/**
 * Image write tools: pull_image, build_image, tag_image, commit_container,
 * insert_file, push_image. Long ones send progress notifications and reply
 * with a summary plus the tail of the engine's log.
 *
 * @module
 */
import * as v from "valibot";
import { type AuthConfig, buildContext } from "../../mod.ts";
import { directoryContext, readDockerfile } from "../build_dir.ts";
import { ContainerArg, defineTool, ImageArg, ToolRefusal } from "../tool.ts";
import { followWithProgress } from "../output.ts";
import { fenceUntrusted, shortId } from "../render.ts";
import type { Policy } from "../policy.ts";
import { checkBuildContext } from "../../lib/policy/build_context.ts";

/** Whether a reference names a tag or digest (after the last `/`). */
function hasTag(ref: string): boolean {
  return ref.includes("@") || ref.slice(ref.lastIndexOf("/") + 1).includes(":");
}

/** The registry part of a reference (`docker.io` when it has none). */
export function registryOf(ref: string): string {
  const first = ref.split("/")[0];
  return ref.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")
    ? first
    : "docker.io";
}

/** Credentials the operator configured for the image's registry (never from the model). */
function authFor(policy: Policy, ref: string): AuthConfig | undefined {
  return policy.options.registryAuth?.[registryOf(ref)];
}

const Log = { log: v.array(v.string()), logTruncated: v.boolean() };

/** `pull_image`. */
export const pullImage = defineTool({
  name: "pull_image",
  title: "Pull image",
  description: "Download an image from its registry (like `docker pull`). Without a tag, `:latest` is pulled. " +
    "Sends progress notifications. Returns {image, status, log} (the last lines of the pull log).",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: v.strictObject({ image: ImageArg }),
  output: v.object({ image: v.string(), status: v.string(), ...Log }),
  async run(args, ctx) {
    const image = hasTag(args.image) ? args.image : `${args.image}:latest`;
    await ctx.policy.checkImage(ctx.docker, image, ctx.signal, { pull: true });
    const body = await ctx.docker.images.pull(image, { auth: authFor(ctx.policy, image), signal: ctx.signal });
    const { summary, tail, truncated } = await followWithProgress(body, "pull", ctx);
    const status = summary.status ?? summary.lastStatus ?? "";
    return { structured: { image, status, log: tail, logTruncated: truncated }, text: `pulled ${image}: ${status}` };
  },
});

const FileName = v.pipe(
  v.string(),
  v.regex(/^[a-zA-Z0-9_.@+-][a-zA-Z0-9_.@+\/-]*$/, "expected a relative path"),
  v.check(
    (s) => !s.split("/").some((p) => p === ".." || p === "." || p === ""),
    "must not contain '..', '.' or empty segments",
  ),
);

const BuildInline = {
  dockerfile: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty("must not be empty"),
      v.maxLength(65536),
      v.description('Dockerfile text, e.g. "FROM busybox\\nRUN echo hi".'),
    ),
  ),
  files: v.optional(
    v.pipe(
      v.record(FileName, v.pipe(v.string(), v.maxLength(1048576))),
      v.description("More context files: {relative path: text content} (with dockerfile)."),
    ),
  ),
};
const BuildDirectory = {
  directory: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\/[^\0]*$/, "expected an absolute path"),
      v.maxLength(4096),
      v.description(
        "Absolute path of a directory on the server's host to use as the build context (instead of dockerfile " +
          "and files); only inside the directories the operator allowed. Its .dockerignore is honoured.",
      ),
    ),
  ),
  dockerfilePath: v.optional(
    v.pipe(FileName, v.description("The Dockerfile's path inside directory (default Dockerfile).")),
  ),
};
const BuildCommon = {
  tag: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[a-z0-9][a-z0-9._\/:-]*$/, "expected a lower-case [registry/]name[:tag]"),
      v.description('Name the result, e.g. "me/app:1".'),
    ),
  ),
  nocache: v.optional(v.pipe(v.boolean(), v.description("Do not use the build cache."))),
};

/** Most bytes of a directory context held until its Dockerfile has been read and checked. */
const CONTEXT_BUFFER = 64 * 1024 * 1024;

/** `build_image`: from an inline Dockerfile and inline files, or from an allowed directory on the server's host. */
export const buildImage = defineTool({
  name: "build_image",
  title: "Build image",
  description: "Build an image like `docker build`, from an inline Dockerfile plus optional inline text files " +
    "(the build context), or, when the operator allowed it, from a directory on the server's host. Sends " +
    "progress notifications (each build step). Returns {imageId, tag, log} with the last lines of the build " +
    "output; a failed step is an error result with the engine's message and that step's output.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: v.strictObject({ ...BuildInline, ...BuildDirectory, ...BuildCommon }),
  inputFor: (policy) =>
    policy.options.allowedBuildPaths?.length
      ? v.strictObject({ ...BuildInline, ...BuildDirectory, ...BuildCommon })
      : v.strictObject({ ...BuildInline, ...BuildCommon }),
  output: v.object({ imageId: v.string(), tag: v.optional(v.string()), ...Log }),
  async run(args, ctx) {
    if (args.tag) ctx.policy.checkImageName(args.tag);
    let context: ReadableStream<Uint8Array>;
    if (args.directory !== undefined) {
      if (args.dockerfile !== undefined || args.files !== undefined) {
        throw new ToolRefusal(
          `build_image: invalid argument "directory": give either directory or dockerfile (and files), not both`,
        );
      }
      const allowed = ctx.policy.options.allowedBuildPaths ?? [];
      const dockerfile = args.dockerfilePath ?? "Dockerfile";
      await ctx.policy.checkDockerfile(
        ctx.docker,
        await readDockerfile(args.directory, allowed, dockerfile),
        ctx.signal,
      );
      // The Dockerfile as sent is checked again: the directory may change between the read and the walk.
      context = await checkBuildContext(
        ctx.policy.options,
        ctx.docker,
        await directoryContext(args.directory, allowed, { dockerfile, signal: ctx.signal }),
        dockerfile,
        { maxBuffer: CONTEXT_BUFFER, signal: ctx.signal },
      ).catch((err) => Promise.reject(ctx.policy.refusal(err)));
    } else {
      if (args.dockerfile === undefined) {
        throw new ToolRefusal(`build_image: invalid argument "dockerfile": give dockerfile (or directory)`);
      }
      if (args.dockerfilePath !== undefined) {
        throw new ToolRefusal(`build_image: invalid argument "dockerfilePath": only with directory`);
      }
      const files = { ...args.files };
      if ("Dockerfile" in files) {
        throw new ToolRefusal(`build_image: invalid argument "files.Dockerfile": give the Dockerfile as "dockerfile"`);
      }
      await ctx.policy.checkDockerfile(ctx.docker, args.dockerfile, ctx.signal);
      context = buildContext({ ...files, Dockerfile: args.dockerfile });
    }
    const body = await ctx.docker.build(context, {
      t: args.tag,
      nocache: args.nocache,
      rm: true,
      forcerm: true, // a failed step's container is removed too
      dockerfile: args.dockerfilePath,
      signal: ctx.signal,
    });
    const { summary, tail, truncated } = await followWithProgress(body, "build", ctx);
    if (!summary.imageId) throw new ToolRefusal(`build_image: the engine reported no image id\n${tail.join("\n")}`);
    return {
      structured: { imageId: summary.imageId, tag: args.tag, log: tail, logTruncated: truncated },
      text: `built ${shortId(summary.imageId)}${args.tag ? ` as ${args.tag}` : ""}\n` +
        fenceUntrusted("build output", tail.join("\n")),
    };
  },
});

/** `tag_image`. */
export const tagImage = defineTool({
  name: "tag_image",
  title: "Tag image",
  description: "Give an image another name (repository and tag), like `docker tag`. Returns {image, target}.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({
    image: ImageArg,
    repo: v.pipe(
      v.string(),
      v.regex(/^[a-z0-9][a-z0-9._\/:-]*$/, "expected a lower-case [registry/]name"),
      v.description('Target repository, e.g. "me/app" or "registry:5000/me/app".'),
    ),
    tag: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/, "expected a tag"),
        v.description("Target tag (default latest)."),
      ),
    ),
  }),
  output: v.object({ image: v.string(), target: v.string() }),
  async run(args, { docker, signal, policy }) {
    const target = `${args.repo}:${args.tag ?? "latest"}`;
    await policy.checkImage(docker, args.image, signal);
    policy.checkImageName(target);
    await docker.images.tag(args.image, { repo: args.repo, tag: args.tag ?? "latest", signal });
    return { structured: { image: args.image, target }, text: `tagged ${args.image} as ${target}` };
  },
});

/** `commit_container`. */
export const commitContainer = defineTool({
  name: "commit_container",
  title: "Commit container",
  description: "Save a container's filesystem changes as a new image, like `docker commit`. Returns {imageId, image}.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  input: v.strictObject({
    container: ContainerArg,
    repo: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-z0-9][a-z0-9._\/:-]*$/, "expected a lower-case [registry/]name"),
        v.description("Repository of the new image."),
      ),
    ),
    tag: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-zA-Z0-9_][a-zA-Z0-9_.-]{0,127}$/, "expected a tag"),
        v.description("Tag of the new image."),
      ),
    ),
    comment: v.optional(v.pipe(v.string(), v.maxLength(1000), v.description("Commit message."))),
    author: v.optional(v.pipe(v.string(), v.maxLength(200), v.description("Author."))),
  }),
  output: v.object({ imageId: v.string(), image: v.optional(v.string()) }),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    if (policy.hasImageRules) {
      // A commit must not launder a denied image under an allowed name: the container's image is checked.
      const from = String((await docker.containers.inspect(args.container, { signal })).Image ?? "");
      await policy.checkImage(docker, from, signal);
    }
    const image = args.repo ? `${args.repo}:${args.tag ?? "latest"}` : undefined;
    if (image) policy.checkImageName(image);
    const r = await docker.commit(args.container, {
      repo: args.repo,
      tag: args.repo ? args.tag ?? "latest" : undefined,
      comment: args.comment,
      author: args.author,
      signal,
    });
    return {
      structured: { imageId: r.Id, image },
      text: `committed ${args.container} as ${shortId(r.Id)}${image ? ` (${image})` : ""}`,
    };
  },
});

/** `insert_file`: the v1.11 insert. */
export const insertFile = defineTool({
  name: "insert_file",
  title: "Insert file into image",
  description: "Make a new image from an image plus a file the engine downloads from a URL (the v1.11 " +
    "`insert`). Sends progress notifications. Returns {imageId}.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  input: v.strictObject({
    image: ImageArg,
    url: v.pipe(
      v.string(),
      v.url("expected a URL"),
      v.regex(/^https?:\/\//, "expected an http(s) URL"),
      v.description("Where the engine downloads the file from."),
    ),
    path: v.pipe(
      v.string(),
      v.regex(/^\/[^\0]*$/, "expected an absolute path"),
      v.description("Where the file goes in the image."),
    ),
  }),
  output: v.object({ imageId: v.string(), ...Log }),
  async run(args, ctx) {
    await ctx.policy.checkImage(ctx.docker, args.image, ctx.signal);
    const body = await ctx.docker.images.insert(args.image, { url: args.url, path: args.path, signal: ctx.signal });
    const { summary, tail, truncated } = await followWithProgress(body, "insert", ctx);
    const imageId = summary.imageId ?? String(summary.lastStatus ?? "");
    return {
      structured: { imageId, log: tail, logTruncated: truncated },
      text: `inserted ${args.url} at ${args.path}: new image ${shortId(imageId)}`,
    };
  },
});

/** `push_image`. */
export const pushImage = defineTool({
  name: "push_image",
  title: "Push image",
  description: "Upload an image to its registry (like `docker push`), with the credentials the operator " +
    "configured for that registry. Without a tag, `latest`. Sends progress notifications. Returns {image, digest, status}.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  input: v.strictObject({ image: ImageArg }),
  output: v.object({ image: v.string(), digest: v.optional(v.string()), status: v.string(), ...Log }),
  async run(args, ctx) {
    await ctx.policy.checkImage(ctx.docker, args.image, ctx.signal);
    const slash = args.image.lastIndexOf("/");
    const colon = args.image.lastIndexOf(":");
    const [name, tag] = colon > slash
      ? [args.image.slice(0, colon), args.image.slice(colon + 1)]
      : [args.image, "latest"];
    const body = await ctx.docker.images.push(name, { tag, auth: authFor(ctx.policy, name), signal: ctx.signal });
    const { summary, tail, truncated } = await followWithProgress(body, "push", ctx);
    const image = `${name}:${tag}`;
    return {
      structured: {
        image,
        digest: summary.digest,
        status: summary.lastStatus ?? "",
        log: tail,
        logTruncated: truncated,
      },
      text: `pushed ${image}${summary.digest ? ` (${summary.digest})` : ""}`,
    };
  },
});
