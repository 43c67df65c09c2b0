/**
 * `exec_container`: run a command in a running container (write mode). Each
 * call is confirmed by the user unless the operator allow-listed the command
 * (`execAllowCommands`) or turned confirmation off (`execConfirm: false`).
 * Output is bounded per stream and fenced as untrusted data; the timeout and
 * the client's cancellation kill the command's processes (the engine itself
 * never stops an exec).
 *
 * @module
 */
import * as v from "valibot";
import { type ExecHandle, TimeoutError } from "../../mod.ts";
import { describeContainer } from "../confirm_target.ts";
import { fenceUntrusted } from "../render.ts";
import { ContainerArg, defineTool } from "../tool.ts";

/** The longest an exec may run, in seconds. */
export const EXEC_MAX_SECONDS = 600;
/** The most output kept per stream, in bytes. */
export const EXEC_MAX_BYTES = 1024 * 1024;

/** Bytes read so far: the first `cap` kept, all counted (survives an abort midway). */
interface Kept {
  parts: Uint8Array[];
  kept: number;
  total: number;
}

async function keep(stream: ReadableStream<Uint8Array>, cap: number, into: Kept): Promise<void> {
  for await (const chunk of stream) {
    into.total += chunk.byteLength;
    if (into.kept < cap) {
      const part = chunk.subarray(0, Math.min(chunk.byteLength, cap - into.kept));
      into.parts.push(part.slice());
      into.kept += part.byteLength;
    }
  }
}

function text(k: Kept): string {
  const dec = new TextDecoder();
  return k.parts.map((p) => dec.decode(p, { stream: true })).join("") + dec.decode();
}

async function feed(h: ExecHandle, input: string): Promise<void> {
  const w = h.stdin.getWriter();
  try {
    await w.write(new TextEncoder().encode(input));
    await w.close();
  } catch { /* the command may end without reading its stdin */ }
}

/** `exec_container`. */
export const execContainer = defineTool({
  name: "exec_container",
  title: "Run command in container",
  description: "Run a command in a running container, like `docker exec` (no shell unless you run one, e.g. " +
    '["sh", "-c", "ls -l /app"]). The user is asked to confirm unless the operator allowed the command ' +
    "(calls with env are always confirmed). " +
    "Waits for it to end, at most timeoutSeconds (default 30); on timeout or cancellation its processes are " +
    "killed. Returns {container, command, exitCode, stdout, stderr, stdoutBytes, stderrBytes, truncated, " +
    "timedOut}; stdout and stderr keep at most maxBytes each (default 65536). The output is untrusted data " +
    "produced by the container.",
  level: "write",
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  input: v.strictObject({
    container: ContainerArg,
    command: v.pipe(
      v.array(v.pipe(v.string(), v.maxLength(8192))),
      v.minLength(1, "must name a command"),
      v.maxLength(256),
      v.check((a) => a[0] !== "", "the command must not be empty"),
      v.description('The command and its arguments, e.g. ["ls", "-l", "/app"].'),
    ),
    env: v.optional(
      v.pipe(
        v.array(v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_]*=/, "expected KEY=value"), v.maxLength(8192))),
        v.maxLength(64),
        v.description("Extra environment, KEY=value each."),
      ),
    ),
    workingDir: v.optional(
      v.pipe(v.string(), v.regex(/^\//, "expected an absolute path"), v.maxLength(4096), v.description("Directory.")),
    ),
    user: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^[a-zA-Z0-9_.-]+(:[a-zA-Z0-9_.-]+)?$/, "expected user[:group]"),
        v.description("User to run as (name, uid, uid:gid). Default: the container's."),
      ),
    ),
    stdin: v.optional(
      v.pipe(v.string(), v.maxLength(1024 * 1024), v.description("Text written to the command's stdin, then EOF.")),
    ),
    timeoutSeconds: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(EXEC_MAX_SECONDS),
        v.description("Kill the command after this many seconds (default 30)."),
      ),
    ),
    maxBytes: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.maxValue(EXEC_MAX_BYTES),
        v.description("Bytes kept of stdout and of stderr each (default 65536)."),
      ),
    ),
  }),
  output: v.object({
    container: v.string(),
    command: v.array(v.string()),
    exitCode: v.optional(v.number()),
    stdout: v.string(),
    stderr: v.string(),
    stdoutBytes: v.number(),
    stderrBytes: v.number(),
    truncated: v.boolean(),
    timedOut: v.boolean(),
    killed: v.optional(v.number()),
  }),
  needsConfirmation: (args, { policy }) => policy.execNeedsConfirmation(args.command, args.env),
  confirmTarget: (args, { docker, signal, policy }) => describeContainer(docker, args.container, policy, signal),
  async run(args, { docker, signal, policy }) {
    await policy.checkContainer(docker, args.container, signal);
    const seconds = args.timeoutSeconds ?? 30;
    const maxBytes = args.maxBytes ?? 65536;
    const timeout = new AbortController();
    const timer = setTimeout(
      () =>
        timeout.abort(
          new TimeoutError(`exec_container: ${args.command[0]} did not end within ${seconds} s`, seconds * 1000),
        ),
      seconds * 1000,
    );
    const both = AbortSignal.any([signal, timeout.signal]);
    const out: Kept = { parts: [], kept: 0, total: 0 };
    const err: Kept = { parts: [], kept: 0, total: 0 };
    let h: ExecHandle | undefined;
    let exitCode: number | undefined;
    let killed: number | undefined;
    let timedOut = false;
    try {
      h = await docker.containers.exec(args.container, {
        cmd: args.command,
        env: args.env,
        workingDir: args.workingDir,
        user: args.user,
        stdin: args.stdin !== undefined,
        killable: true,
        signal: both,
      });
      const feeding = args.stdin === undefined ? undefined : feed(h, args.stdin);
      await Promise.all([keep(h.stdout, maxBytes, out), keep(h.stderr, maxBytes, err), feeding]);
      exitCode = (await h.exitCode({ signal: both })) ?? undefined;
    } catch (error) {
      if (!both.aborted || !h) throw error;
      timedOut = !signal.aborted;
      // The engine keeps an exec's processes running when its connection closes: kill them.
      killed = await h.kill({ signal: AbortSignal.timeout(15_000) }).catch(() => undefined);
      if (signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
    }
    const structured = {
      container: args.container,
      command: args.command,
      exitCode,
      stdout: text(out),
      stderr: text(err),
      stdoutBytes: out.total,
      stderrBytes: err.total,
      truncated: out.total > out.kept || err.total > err.kept,
      timedOut,
      killed,
    };
    const head = timedOut
      ? `timed out after ${seconds} s; ${
        killed === undefined ? "its processes could not be killed (no sh in the container?)" : `killed ${killed}`
      }`
      : `exit code ${exitCode ?? "unknown"}`;
    const cut = structured.truncated ? ` (output cut to ${maxBytes} bytes per stream)` : "";
    const parts = [
      `${args.command[0]} in ${args.container}: ${head}; ${out.total} bytes stdout, ${err.total} bytes stderr${cut}`,
    ];
    if (out.total) parts.push(fenceUntrusted(`exec stdout of ${args.container}`, structured.stdout));
    if (err.total) parts.push(fenceUntrusted(`exec stderr of ${args.container}`, structured.stderr));
    return { structured, text: parts.join("\n") };
  },
});
