/**
 * The image rules on the gateway's plain path (forwarded requests and the
 * v1.11 translations alike), applied after the decision and before anything
 * reaches the engine: the image a container is created from, a pull, an
 * import's or a build's target name, a build context's Dockerfile, the
 * source and target of a tag, the image pushed, saved, inspected or
 * removed, and what a commit starts from and is named. The checks are
 * lib/policy's (the MCP server's): ids, short ids, digests and tag aliases
 * resolve through the engine. Without image lists nothing runs (no engine
 * round trip).
 *
 * @module
 */
import type { Docker } from "../docker.ts";
import { checkBuildContext } from "../policy/build_context.ts";
import { checkImage, checkImageName } from "../policy/images.ts";
import { repositoryOf } from "../policy/image_names.ts";
import type { Decision } from "./gateway.ts";
import { Refusal } from "./refusal.ts";

/** Most bytes of a build context held before its Dockerfile has been read. */
export const BUILD_CONTEXT_BUFFER = 64 * 1024 * 1024;

/** `repo` plus `tag` (a digest when it looks like one), as the engine joins them. */
function withTag(repo: string, tag: string | null): string {
  if (!tag) return repo;
  return /^[a-z0-9]+:[a-f0-9]{32,}$/i.test(tag) ? `${repo}@${tag}` : `${repo}:${tag}`;
}

/** The repository part of `ref` (its tag dropped; a registry port kept). */
function withoutTag(ref: string): string {
  const at = ref.indexOf("@");
  const name = at >= 0 ? ref.slice(0, at) : ref;
  const colon = name.lastIndexOf(":");
  return colon > name.lastIndexOf("/") ? name.slice(0, colon) : name;
}

/** The JSON object of a decided body, or an empty one. */
function bodyOf(json: string | undefined): Record<string, unknown> {
  if (json === undefined) return {};
  const v = JSON.parse(json) as unknown;
  return v !== null && typeof v === "object" ? v as Record<string, unknown> : {};
}

/**
 * Apply the decided policy's image rules to a request. Resolves to the body
 * stream to forward (a build context wrapped by the Dockerfile check, or
 * `stream` as it was); throws a {@link Refusal} (`image.deny`, `image.allow`,
 * `image.unresolved`, `dockerfile.*`, `build.*`).
 */
export async function checkImageRules(
  docker: Docker,
  d: Decision,
  json: string | undefined,
  stream: ReadableStream<Uint8Array> | null,
): Promise<ReadableStream<Uint8Array> | null> {
  if (!d.policy.hasImageRules) return stream;
  const rules = d.policy.images;
  const q = new URLSearchParams(d.query);
  const name = d.match.params.name;
  const image = (ref: string, pull = false) => checkImage(rules, docker, ref, { pull });
  switch (d.match.name) {
    case "containers/create": {
      const ref = bodyOf(json).Image;
      // No image: the engine refuses the create itself.
      if (typeof ref === "string" && ref !== "") await image(ref);
      return stream;
    }
    case "images/create": {
      const from = q.get("fromImage");
      if (from) {
        await image(from, true);
        const tag = q.get("tag");
        if (tag) await image(withTag(withoutTag(from), tag), true);
      }
      return stream;
    }
    case "images/import": {
      const repo = q.get("repo");
      if (repo) checkImageName(rules, withTag(repo, q.get("tag")));
      return stream;
    }
    case "build": {
      for (const t of q.getAll("t")) checkImageName(rules, t);
      const cacheFrom = q.get("cachefrom");
      if (cacheFrom) {
        let refs: unknown;
        try {
          refs = JSON.parse(cacheFrom);
        } catch {
          throw new Refusal("query.cachefrom", "cachefrom is not a JSON list of images", 400);
        }
        if (!Array.isArray(refs)) throw new Refusal("query.cachefrom", "cachefrom is not a JSON list of images", 400);
        for (const ref of refs) await image(String(ref), true);
      }
      let buildArgs: Record<string, unknown> | undefined;
      const args = q.get("buildargs");
      if (args) {
        try {
          buildArgs = JSON.parse(args) as Record<string, unknown>;
        } catch {
          throw new Refusal("query.buildargs", "buildargs is not a JSON object", 400);
        }
      }
      if (!stream) throw new Refusal("dockerfile.missing", "the build has no context to check", 400);
      return await checkBuildContext(
        buildArgs && typeof buildArgs === "object" ? { ...rules, buildArgs } : rules,
        docker,
        stream,
        q.get("dockerfile") || "Dockerfile",
        { maxBuffer: BUILD_CONTEXT_BUFFER },
      );
    }
    case "images/tag": {
      await image(name);
      const repo = q.get("repo");
      if (repo) checkImageName(rules, withTag(repo, q.get("tag")));
      return stream;
    }
    case "images/push": {
      const tag = q.get("tag");
      await image(withTag(name, tag));
      if (!tag && withoutTag(name) === name) {
        // Without a tag the engine pushes every tag of the repository: each is checked.
        const repo = repositoryOf(name);
        for (const row of await docker.images.list()) {
          const tags = Array.isArray(row.RepoTags) ? row.RepoTags.map(String) : [];
          for (const t of tags) if (!t.startsWith("<none>") && repositoryOf(t) === repo) await image(t);
        }
      }
      return stream;
    }
    case "images/get": {
      for (const ref of name ? [name] : q.getAll("names")) await image(ref);
      return stream;
    }
    case "images/inspect":
    case "images/history":
    case "images/remove":
    case "images/insert":
      await image(name);
      return stream;
    case "commit": {
      const container = q.get("container");
      if (container) {
        // A commit must not launder a denied image under an allowed name: the container's image is checked.
        const info = await docker.containers.inspect(container);
        const from = String(info.Image ?? info.image ?? "");
        if (from) await image(from);
      }
      const repo = q.get("repo");
      if (repo) checkImageName(rules, withTag(repo, q.get("tag")));
      return stream;
    }
    default:
      return stream;
  }
}
