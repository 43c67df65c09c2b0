/**
 * What a confirmation question shows: the target a destructive call would
 * touch, checked first (it exists, the policy allows it) so the user is never
 * asked about a missing or denied container, and described by what it is
 * (name, short id, image, state) rather than by the id fragment the model sent.
 *
 * @module
 */
import type { Docker } from "../mod.ts";
import type { Policy } from "./policy.ts";
import { humanSize, shortId } from "./render.ts";
import { ToolRefusal } from "./tool.ts";

/** A container's state in a word: `running`, `paused`, `restarting`, `exited (0)`, `created` ... */
function stateOf(state: Record<string, unknown> | undefined): string {
  if (!state) return "state unknown";
  if (state.Paused === true) return "paused";
  if (state.Restarting === true) return "restarting";
  if (state.Running === true) return "running";
  const status = typeof state.Status === "string" ? state.Status : "exited";
  return status === "exited" ? `exited (${Number(state.ExitCode ?? 0)})` : status;
}

/**
 * Inspect a container, check the container rules, and describe it:
 * `"web" (813c1a2b3c4d, image nginx:1.25, running)`. A missing container is
 * the engine's 404 (a DockerError), a denied one a {@link ToolRefusal}.
 */
export async function describeContainer(
  docker: Docker,
  ref: string,
  policy: Policy,
  signal?: AbortSignal,
): Promise<string> {
  const info = await docker.containers.inspect(ref, { signal });
  const name = String(info.Name ?? "").replace(/^\//, "");
  if (policy.hasContainerRules && !policy.allowsContainer([name])) {
    throw new ToolRefusal(`Refused by the server's policy: container ${JSON.stringify(name)} is not allowed`);
  }
  const id = String(info.Id ?? info.ID ?? ref);
  const image = String(info.Config?.Image ?? info.Image ?? "?");
  return `${JSON.stringify(name || ref)} (${shortId(id)}, image ${image}, ${stateOf(info.State)})`;
}

/**
 * Check an image with the image rules (resolved through the engine), inspect
 * it, and describe it: `"busybox:latest" (5986e436c73a, tags busybox:latest, 4.3 MB)`.
 */
export async function describeImage(
  docker: Docker,
  ref: string,
  policy: Policy,
  signal?: AbortSignal,
): Promise<string> {
  await policy.checkImage(docker, ref, signal);
  const info = await docker.images.inspect(ref, { signal });
  const id = String(info.Id ?? info.id ?? "");
  const tags = Array.isArray(info.RepoTags) ? info.RepoTags.map(String).filter((t) => !t.startsWith("<none>")) : [];
  const shown = tags.length ? `tags ${tags.slice(0, 5).join(", ")}${tags.length > 5 ? ", ..." : ""}` : "untagged";
  return `${JSON.stringify(ref)} (${shortId(id)}, ${shown}, ${humanSize(Number(info.Size ?? 0))})`;
}
