import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { commitMessageQuery } from "../compat/commit.ts";
import { CallOptions, ContainerRef, parseArg, RepoName, Tag } from "../validate.ts";

/**
 * The run configuration a commit gives the new image (the v1.11 container
 * config: Cmd, Env, ExposedPorts, Volumes, WorkingDir, User ...). Keys are
 * sent as given.
 */
export interface CommitConfig {
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  User?: string;
  WorkingDir?: string;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  [key: string]: unknown;
}

/** Options of {@link commitContainer}. */
export interface CommitOptions {
  /** Repository of the new image (query `repo`). */
  repo?: string;
  /** Tag of the new image (query `tag`; needs `repo`). */
  tag?: string;
  /** Commit message (query `m`; also sent as `comment`, which is what engines read today: lib/compat/commit.ts). */
  comment?: string;
  /** Author, e.g. `"Jane <jane@example.com>"` (query `author`). */
  author?: string;
  /** Run configuration of the new image (JSON body). */
  config?: CommitConfig;
  /** Abort the call. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the response headers. */
  timeout?: number;
}

/** `POST /commit` answer: the new image's id (newer engines: `sha256:...`). */
export interface CommitResult {
  Id: string;
  [key: string]: unknown;
}

const Text = v.pipe(v.string(), v.maxLength(64 * 1024));

const CommitSchema = v.pipe(
  v.strictObject({
    repo: v.optional(RepoName),
    tag: v.optional(Tag),
    comment: v.optional(Text),
    author: v.optional(Text),
    config: v.optional(
      v.custom<CommitConfig>(
        (c) => typeof c === "object" && c !== null && !Array.isArray(c),
        "expected a container config object",
      ),
    ),
    ...CallOptions,
  }),
  v.forward(
    v.partialCheck([["tag"], ["repo"]], (o) => o.tag === undefined || o.repo !== undefined, "a tag needs a repo"),
    ["tag"],
  ),
);

/**
 * `POST /commit?container=...`: create an image from a container's changes.
 *
 * @example
 * ```ts
 * const { Id } = await docker.commit("web", { repo: "me/web", tag: "v2", comment: "patched", config: { Cmd: ["httpd"] } });
 * ```
 */
export async function commitContainer(
  client: DockerClient,
  container: string,
  options: CommitOptions = {},
): Promise<CommitResult> {
  const action = `commit container ${JSON.stringify(container)}`;
  const id = parseArg(ContainerRef, container, "container", action);
  const o = parseArg(CommitSchema, options, "options", action);
  return await client.json<CommitResult>({
    method: "POST",
    path: "/commit",
    expect: { kind: "object", fields: { Id: "string" } },
    query: { container: id, repo: o.repo, tag: o.tag, author: o.author, ...commitMessageQuery(o.comment) },
    json: o.config ?? {},
    signal: o.signal,
    timeout: o.timeout,
    action,
  });
}
