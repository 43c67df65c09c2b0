/**
 * The exec instance endpoints: `GET /exec/(id)/json`, `POST /exec/(id)/resize`,
 * and waiting for an exec's process to end.
 *
 * @module
 */
import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { versionForFields } from "../compat/fields.ts";
import { CallOptions, NonNegInt, parseArg } from "../validate.ts";

/** Answer of `GET /exec/(id)/json` (the fields dockwire reads; the rest is kept). */
export interface ExecInspect {
  ID: string;
  /** Whether the process still runs. */
  Running: boolean;
  /** The exit code once it ended (null while running, on some engines). */
  ExitCode: number | null;
  /** The container's id. */
  ContainerID?: string;
  /** The process id on the engine's host (0 once it ended). */
  Pid?: number;
  ProcessConfig?: { entrypoint?: string; arguments?: string[]; tty?: boolean; user?: string; privileged?: boolean };
  [key: string]: unknown;
}

/** Per-call options of the exec endpoints; `version` is internal (the version the exec was created at). */
export interface ExecCallOptions {
  signal?: AbortSignal;
  timeout?: number;
}

const ExecId = v.pipe(v.string(), v.regex(/^[a-zA-Z0-9]{1,128}$/, "expected an exec id (letters and digits)"));
const InternalCall = v.strictObject({ ...CallOptions, version: v.optional(v.string()) });

/** `/exec/<id>` after validating the id. */
export function execPath(id: unknown, action = "use an exec instance"): string {
  return `/exec/${parseArg(ExecId, id, "id", action)}`;
}

/** `GET /exec/(id)/json`: the state of an exec instance. */
export async function inspectExec(
  client: DockerClient,
  id: string,
  options: ExecCallOptions & { version?: string } = {},
): Promise<ExecInspect> {
  const action = `inspect exec ${JSON.stringify(String(id))}`;
  const path = execPath(id, action) + "/json";
  const o = parseArg(InternalCall, options, "options", action);
  const version = o.version ?? await versionForFields(client, [{ field: "exec", as: "exec" }], action, o.signal);
  return await client.json<ExecInspect>({
    method: "GET",
    path,
    version,
    expect: { kind: "object", fields: { Running: "boolean" } },
    action,
    signal: o.signal,
    timeout: o.timeout,
  });
}

/**
 * Poll `GET /exec/(id)/json` until the process is gone (the engine marks an
 * exec ended shortly after its output ends). Every 50 ms at first, backing off
 * to 500 ms; bounded by the signal only.
 */
export async function waitExec(
  client: DockerClient,
  id: string,
  options: ExecCallOptions & { version?: string } = {},
): Promise<ExecInspect> {
  let delay = 50;
  for (;;) {
    const info = await inspectExec(client, id, options);
    if (!info.Running) return info;
    await sleep(delay, options.signal);
    delay = Math.min(delay * 2, 500);
  }
}

/** Options of {@link resizeExec}. */
export interface ExecResizeOptions extends ExecCallOptions {
  /** Rows. */
  h: number;
  /** Columns. */
  w: number;
}

const ResizeSchema = v.strictObject({
  ...CallOptions,
  h: v.pipe(NonNegInt, v.maxValue(65535)),
  w: v.pipe(NonNegInt, v.maxValue(65535)),
});

/** `POST /exec/(id)/resize`: the TTY size of an exec started with `tty: true`. */
export async function resizeExec(client: DockerClient, id: string, options: ExecResizeOptions): Promise<void> {
  const action = `resize exec ${JSON.stringify(String(id))}`;
  const path = execPath(id, action) + "/resize";
  const o = parseArg(ResizeSchema, options, "options", action);
  const version = await versionForFields(client, [{ field: "exec", as: "exec" }], action, o.signal);
  await client.empty({
    method: "POST",
    path,
    version,
    query: { h: o.h, w: o.w },
    action,
    signal: o.signal,
    timeout: o.timeout,
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** `docker.execs`: exec instances by id (created by `docker.containers.exec`). */
export class Execs {
  /** The client requests go through. */
  readonly client: DockerClient;
  constructor(client: DockerClient) {
    this.client = client;
  }

  /** `GET /exec/(id)/json`: whether it runs, its exit code, its process. */
  inspect(id: string, options?: ExecCallOptions): Promise<ExecInspect> {
    return inspectExec(this.client, id, { signal: options?.signal, timeout: options?.timeout });
  }

  /** `POST /exec/(id)/resize`: the TTY size of an exec started with `tty: true`. */
  resize(id: string, options: ExecResizeOptions): Promise<void> {
    return resizeExec(this.client, id, options);
  }
}
