import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { encodeQuery } from "../client.ts";
import { atLeast } from "../compat/version.ts";
import { UnsupportedError } from "../errors.ts";
import { type AttachHandle, attachHandle, framingFromContentType, type OutputFraming } from "../streams/attach.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { attachContainerWebSocket } from "./attach_ws.ts";
import { actionOn, containerPath } from "./common.ts";
import { hijack } from "./hijack.ts";
import { inspectContainer } from "./inspect.ts";

export type { AttachHandle, OutputFraming } from "../streams/attach.ts";

/** Options of {@link attachContainer}. */
export interface ContainerAttachOptions {
  /** Query `stdin`: attach stdin. Default true (v1.11's query default is false). */
  stdin?: boolean;
  /** Query `stdout`: attach stdout. Default true. */
  stdout?: boolean;
  /** Query `stderr`: attach stderr. Default true. */
  stderr?: boolean;
  /** Query `stream`: stream output as it comes. Default true. */
  stream?: boolean;
  /** Query `logs`: first send the output so far. Default false. */
  logs?: boolean;
  /**
   * Whether the container has a TTY (raw output). Default: the engine's
   * Content-Type when it is reliable (API 1.42+), else the container's
   * `Config.Tty` (one inspect request).
   */
  tty?: boolean;
  /** Query `detachKeys` (engines from API 1.25 honour it): key sequence that detaches, e.g. `ctrl-p,ctrl-q`. */
  detachKeys?: string;
  /** Aborting tears the attachment down. */
  signal?: AbortSignal;
  /** Milliseconds to wait for the engine's response head. Default 60000. */
  timeout?: number;
}

/** Valibot schema of {@link ContainerAttachOptions}. */
export const AttachOptionsSchema = v.strictObject({
  ...CallOptions,
  stdin: v.optional(v.boolean()),
  stdout: v.optional(v.boolean()),
  stderr: v.optional(v.boolean()),
  stream: v.optional(v.boolean()),
  logs: v.optional(v.boolean()),
  tty: v.optional(v.boolean()),
  detachKeys: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9@^_,\-\[\]\\]{1,64}$/i, "expected keys like ctrl-p,ctrl-q")),
  ),
});

/** The query of an attach request (shared with the websocket attach). */
export function attachQuery(o: v.InferOutput<typeof AttachOptionsSchema>): string {
  return encodeQuery({
    stream: o.stream ?? true,
    stdin: o.stdin ?? true,
    stdout: o.stdout ?? true,
    stderr: o.stderr ?? true,
    logs: o.logs,
    detachKeys: o.detachKeys,
  });
}

/**
 * `POST /containers/(id)/attach` with `Upgrade: tcp`: the engine hijacks the
 * connection, and stdin, stdout and stderr flow over it as raw bytes (v1.11
 * answers `200 OK`, newer engines `101 UPGRADED`; both are accepted). Output is
 * multiplexed unless the container has a TTY (see `tty`). Needs a transport
 * that can dial (Node, Deno, Bun entries); on a fetch-only transport it falls
 * back to {@link attachContainerWebSocket} when `WebSocket` exists, else throws
 * {@link UnsupportedError}. Attach before `start` to see all output.
 *
 * @example
 * ```ts
 * const h = await docker.containers.attach(id);
 * await docker.containers.start(id);
 * const w = h.stdin.getWriter();
 * await w.write(new TextEncoder().encode("hello\n"));
 * await w.close(); // the process sees EOF
 * for await (const chunk of h.stdout) console.log(new TextDecoder().decode(chunk));
 * ```
 */
export async function attachContainer(
  client: DockerClient,
  id: string,
  options: ContainerAttachOptions = {},
): Promise<AttachHandle> {
  const action = actionOn("attach to", id);
  const path = containerPath(id, action, "/attach");
  const o = parseArg(AttachOptionsSchema, options, "options", action);
  const dial = client.transport.dial;
  if (!dial) {
    const ws = typeof (globalThis as { WebSocket?: unknown }).WebSocket === "function";
    if (ws && client.host.scheme !== "unix") {
      return attachContainerWebSocket(client, id, options);
    }
    throw new UnsupportedError(
      `Cannot ${action}: the transport to ${client.host.address} cannot open a raw connection${
        ws ? " and a WebSocket cannot reach a unix socket" : " and this runtime has no WebSocket"
      }; use the Node, Deno or Bun entry (their transports dial)`,
      { method: "POST", path },
    );
  }
  const { signal } = o;
  const version = (await client.apiVersion(signal, o.timeout)).version;
  const modern = atLeast(version, "1.42");
  let tty = o.tty;
  if (tty === undefined && !modern) {
    const info = await inspectContainer(client, id, { signal, timeout: o.timeout });
    tty = info.Config?.Tty === true;
  }
  const answer = await hijack(client, {
    method: "POST",
    path: path + attachQuery(o),
    version,
    action,
    signal,
    timeout: o.timeout,
  });
  const framing: OutputFraming = framingFromContentType(answer.head.headers.get("content-type"), modern) ??
    (tty ? "raw" : "multiplexed");
  return attachHandle({ connection: answer.connection, reader: answer.reader, rest: answer.rest, framing, signal });
}
