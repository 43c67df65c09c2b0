/**
 * Running a command in a running container: `POST /containers/(id)/exec`,
 * then `POST /exec/(id)/start` over a hijacked connection (stdin, stdout,
 * stderr as raw bytes), the exit code from `GET /exec/(id)/json`. Not in
 * v1.11: sent at the version {@link FIELD_SINCE} names for `exec`.
 *
 * @module
 */
import * as v from "valibot";
import type { DockerClient } from "../client.ts";
import { versionForFields } from "../compat/fields.ts";
import { DockerArgumentError, DockerError, UnsupportedError } from "../errors.ts";
import { type AttachHandle, attachHandle } from "../streams/attach.ts";
import { CallOptions, parseArg } from "../validate.ts";
import { actionOn, containerPath } from "./common.ts";
import { hijack } from "./hijack.ts";
import { type ExecInspect, execPath, inspectExec, waitExec } from "./exec_inspect.ts";

export * from "./exec_inspect.ts";

/** Options of {@link execContainer}. */
export interface ContainerExecOptions {
  /** The command and its arguments (no shell: `["sh", "-c", "..."]` for one). */
  cmd: string[];
  /** Extra environment, `KEY=value` each. */
  env?: string[];
  /** Working directory inside the container (API 1.35). */
  workingDir?: string;
  /** User to run as (`name`, `uid`, `uid:gid`). Default: the container's. */
  user?: string;
  /** Allocate a TTY: output is raw (stdout and stderr merged), not multiplexed. Default false. */
  tty?: boolean;
  /** Attach stdin: write to `handle.stdin`, close it to send EOF. Default false. */
  stdin?: boolean;
  /** Attach stdout. Default true. */
  stdout?: boolean;
  /** Attach stderr. Default true. */
  stderr?: boolean;
  /**
   * Run with extended privileges. Passed to the engine as asked: the library
   * serves callers who own the engine; the MCP server and the gateway never
   * offer it.
   */
  privileged?: boolean;
  /** Key sequence that detaches from a TTY, e.g. `ctrl-p,ctrl-q`. */
  detachKeys?: string;
  /**
   * Mark the process with `DOCKWIRE_EXEC=<exec id marker>` in its environment so
   * that `handle.kill()` can find it (and its children) later. The engine has
   * no call that stops an exec: without the mark a process outlives an aborted
   * or closed exec. Default false.
   */
  killable?: boolean;
  /** Aborting tears the connection down (the process keeps running unless killed). */
  signal?: AbortSignal;
  /** Milliseconds to wait for each response head. */
  timeout?: number;
}

const Str = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** Valibot schema of {@link ContainerExecOptions}. */
export const ExecOptionsSchema = v.strictObject({
  ...CallOptions,
  cmd: v.pipe(
    v.array(v.pipe(v.string(), v.maxLength(128 * 1024), v.check((s) => !s.includes("\0"), "must not contain NUL"))),
    v.minLength(1, "must name a command"),
    v.maxLength(4096),
    v.check((a) => a[0] !== "", "the command must not be empty"),
  ),
  env: v.optional(v.array(v.pipe(v.string(), v.regex(/^[^=\0]+=[^\0]*$/, "expected KEY=value"), v.maxLength(65536)))),
  workingDir: v.optional(v.pipe(Str(4096), v.regex(/^\//, "expected an absolute path"))),
  user: v.optional(v.pipe(Str(256), v.regex(/^[a-zA-Z0-9_.-]+(:[a-zA-Z0-9_.-]+)?$/, "expected user[:group]"))),
  tty: v.optional(v.boolean()),
  stdin: v.optional(v.boolean()),
  stdout: v.optional(v.boolean()),
  stderr: v.optional(v.boolean()),
  privileged: v.optional(v.boolean()),
  detachKeys: v.optional(
    v.pipe(v.string(), v.regex(/^[a-z0-9@^_,\-\[\]\\]{1,64}$/i, "expected keys like ctrl-p,ctrl-q")),
  ),
  killable: v.optional(v.boolean()),
});

/** A running exec: the streams of an {@link AttachHandle}, plus its id and exit code. */
export interface ExecHandle extends AttachHandle {
  /** The exec instance's id (for `docker.execs`). */
  readonly id: string;
  /** The container it runs in. */
  readonly container: string;
  /** Whether it has a TTY (raw output). */
  readonly tty: boolean;
  /**
   * The exit code once the process ended: waits for the output to end, then
   * until the engine reports the process gone. `null` when the engine has none.
   */
  exitCode(options?: { signal?: AbortSignal }): Promise<number | null>;
  /** `GET /exec/(id)/json`. */
  inspect(options?: { signal?: AbortSignal; timeout?: number }): Promise<ExecInspect>;
  /**
   * Send `signal` (default KILL) to the process and its children, found by
   * their `DOCKWIRE_EXEC` mark (needs `killable: true`, and `sh`, `tr`,
   * `grep`, `kill` in the container: a second exec runs them). Resolves with
   * the number of processes signalled.
   */
  kill(options?: { signal?: AbortSignal; killSignal?: string }): Promise<number>;
}

/**
 * Run a command in a running container and attach to it.
 *
 * @example
 * ```ts
 * const h = await docker.containers.exec(id, { cmd: ["sh", "-c", "echo hi; exit 3"] });
 * for await (const chunk of h.stdout) console.log(new TextDecoder().decode(chunk));
 * console.log(await h.exitCode()); // 3
 * ```
 */
export async function execContainer(
  client: DockerClient,
  id: string,
  options: ContainerExecOptions,
): Promise<ExecHandle> {
  const action = actionOn("run a command in", id);
  const path = containerPath(id, action, "/exec");
  const o = parseArg(ExecOptionsSchema, options, "options", action);
  const { signal, timeout } = o;
  if (!client.transport.dial) {
    throw new UnsupportedError(
      `Cannot ${action}: the transport to ${client.host.address} cannot open a raw connection, which exec needs; use the Node, Deno or Bun entry (their transports dial)`,
      { method: "POST", path },
    );
  }
  const version = await versionForFields(
    client,
    [
      { field: "exec", as: "exec" },
      ...(o.workingDir ? [{ field: "exec.WorkingDir" as const, as: "options.workingDir" }] : []),
    ],
    action,
    signal,
  );
  const marker = o.killable ? randomMarker() : undefined;
  const tty = o.tty ?? false;
  const created = await client.json<{ Id: string }>({
    method: "POST",
    path,
    version,
    json: {
      AttachStdin: o.stdin ?? false,
      AttachStdout: o.stdout ?? true,
      AttachStderr: o.stderr ?? true,
      Tty: tty,
      Cmd: o.cmd,
      Env: marker ? [...(o.env ?? []), `DOCKWIRE_EXEC=${marker}`] : o.env,
      WorkingDir: o.workingDir,
      User: o.user,
      Privileged: o.privileged,
      DetachKeys: o.detachKeys,
    },
    expect: { kind: "object", fields: { Id: "string" } },
    action,
    signal,
    timeout,
  });
  const execId = created.Id;
  const started = await hijack(client, {
    method: "POST",
    path: `${execPath(execId)}/start`,
    version,
    json: { Detach: false, Tty: tty },
    action: `start exec ${JSON.stringify(execId)} in container ${JSON.stringify(id)}`,
    signal,
    timeout,
  });
  const handle = attachHandle({
    connection: started.connection,
    reader: started.reader,
    rest: started.rest,
    framing: tty ? "raw" : "multiplexed",
    signal,
  });
  const inspect = (opts: { signal?: AbortSignal; timeout?: number } = {}) =>
    inspectExec(client, execId, { ...opts, version });
  return Object.assign(handle, {
    id: execId,
    container: id,
    tty,
    inspect,
    async exitCode(opts: { signal?: AbortSignal } = {}) {
      await handle.closed.catch(() => {});
      return (await waitExec(client, execId, { signal: opts.signal, version })).ExitCode ?? null;
    },
    kill(opts: { signal?: AbortSignal; killSignal?: string } = {}) {
      return killMarked(client, id, marker, opts);
    },
  });
}

const KILL_SCRIPT = 'n=0; for d in /proc/[0-9]*; do p=${d#/proc/}; [ "$p" = "$$" ] && continue; ' +
  'if tr "\\000" "\\n" < "$d/environ" 2>/dev/null | grep -qx "DOCKWIRE_EXEC=$1"; then ' +
  'kill -"$2" "$p" 2>/dev/null && n=$((n+1)); fi; done; echo "$n"';

/** Signal the processes marked with `marker` through a second exec; the count signalled. */
async function killMarked(
  client: DockerClient,
  container: string,
  marker: string | undefined,
  opts: { signal?: AbortSignal; killSignal?: string },
): Promise<number> {
  const action = actionOn("stop an exec in", container);
  if (!marker) {
    throw new DockerArgumentError(
      `Cannot ${action}: the exec was started without killable: true, so its process cannot be found`,
      "options.killable",
      false,
    );
  }
  const sig = parseArg(
    v.optional(v.pipe(v.string(), v.regex(/^[A-Z0-9]{1,12}$/, "expected a signal name like KILL or TERM"))),
    opts.killSignal,
    "options.killSignal",
    action,
  ) ?? "KILL";
  const h = await execContainer(client, container, {
    cmd: ["sh", "-c", KILL_SCRIPT, "dockwire-kill", marker, sig],
    // As root: the exec may run as another user than the container's default.
    user: "0",
    stderr: false,
    signal: opts.signal,
  });
  let text = "";
  const decoder = new TextDecoder();
  for await (const chunk of h.stdout) {
    if (text.length < 64) text += decoder.decode(chunk, { stream: true });
  }
  const code = await h.exitCode({ signal: opts.signal });
  const n = Number(text.trim());
  if (code !== 0 || !Number.isInteger(n)) {
    throw new DockerError(
      `Cannot ${action}: the kill command exited with ${code} (${
        JSON.stringify(text.slice(0, 64))
      }); the container may lack sh`,
    );
  }
  return n;
}

/** 16 random bytes as hex: the mark of a killable exec. */
function randomMarker(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
