/**
 * Destructive tools (full mode only): kill_container, remove_container,
 * remove_image. Like every tool with `destructiveHint` (stop_container and
 * restart_container too), each call is confirmed by the user through
 * elicitation, or allowed by the operator, after its target was checked.
 *
 * @module
 */
import * as v from "valibot";
import { ContainerArg, defineTool, ImageArg } from "../tool.ts";
import { describeContainer, describeImage } from "../confirm_target.ts";

/** `kill_container`. */
export const killContainer = defineTool({
  name: "kill_container",
  title: "Kill container",
  description: "Send a signal (default SIGKILL) to a running container's main process, like `docker kill`. " +
    "The user is asked to confirm. Returns {container, signal}.",
  level: "destructive",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: v.strictObject({
    container: ContainerArg,
    signal: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^(SIG)?[A-Z0-9]+$|^[0-9]{1,2}$/, "expected a signal name or number"),
        v.description('Signal, e.g. "SIGTERM" (default SIGKILL).'),
      ),
    ),
  }),
  output: v.object({ container: v.string(), signal: v.string() }),
  confirmTarget: (args, { docker, signal, policy }) => describeContainer(docker, args.container, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    await docker.containers.kill(args.container, { killSignal: args.signal, signal });
    const sig = args.signal ?? "SIGKILL";
    return { structured: { container: args.container, signal: sig }, text: `sent ${sig} to ${args.container}` };
  },
});

/** `remove_container`. */
export const removeContainer = defineTool({
  name: "remove_container",
  title: "Remove container",
  description: "Delete a container, like `docker rm`. A running one needs force=true. The user is asked to " +
    "confirm. Returns {container, removed}.",
  level: "destructive",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({
    container: ContainerArg,
    force: v.optional(v.pipe(v.boolean(), v.description("Kill it first if running."))),
    volumes: v.optional(v.pipe(v.boolean(), v.description("Also remove its anonymous volumes."))),
  }),
  output: v.object({ container: v.string(), removed: v.boolean() }),
  confirmTarget: (args, { docker, signal, policy }) => describeContainer(docker, args.container, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    await docker.containers.remove(args.container, { force: args.force, v: args.volumes, signal });
    return { structured: { container: args.container, removed: true }, text: `removed ${args.container}` };
  },
});

/** `remove_image`. */
export const removeImage = defineTool({
  name: "remove_image",
  title: "Remove image",
  description: "Untag and delete an image, like `docker rmi`. The user is asked to confirm. " +
    "Returns {image, untagged, deleted}.",
  level: "destructive",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  input: v.strictObject({
    image: ImageArg,
    force: v.optional(v.pipe(v.boolean(), v.description("Remove even if containers use it or it has several tags."))),
  }),
  output: v.object({ image: v.string(), untagged: v.array(v.string()), deleted: v.array(v.string()) }),
  confirmTarget: (args, { docker, signal, policy }) => describeImage(docker, args.image, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkImage(docker, args.image, signal);
    const items = await docker.images.remove(args.image, { force: args.force, signal });
    const untagged = items.filter((i) => i.Untagged).map((i) => String(i.Untagged));
    const deleted = items.filter((i) => i.Deleted).map((i) => String(i.Deleted));
    return {
      structured: { image: args.image, untagged, deleted },
      text: `removed ${args.image}: ${untagged.length} untagged, ${deleted.length} layers deleted`,
    };
  },
});
