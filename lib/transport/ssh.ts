/**
 * The engine over ssh, as the docker CLI reaches `ssh://` hosts: run
 * `ssh [user@]host -- docker system dial-stdio` and speak HTTP over its
 * stdin/stdout, keeping idle connections for the next request as an HTTP
 * client keeps sockets. Spawning is the runtime's (`RuntimeSupport.spawn`).
 *
 * @module
 */
import { EngineUnreachableError, StreamProtocolError } from "../errors.ts";
import { describeError } from "./fetch.ts";
import { sendOverConnection } from "./http1.ts";
import { SshPool } from "./ssh_pool.ts";
import type { ChildConnection, HostSpec, RuntimeSupport, SendRequest, Transport } from "./types.ts";

/** How to run ssh for `ssh://` hosts. */
export interface SshOptions {
  /** The ssh program. Default `ssh`. */
  command?: string;
  /**
   * Extra ssh arguments, placed before the destination: `-i KEY`, `-F FILE`,
   * `-o Option=value`. Default none: the user's ssh configuration applies.
   */
  args?: string[];
}

/** The ssh command line for `host`, as the docker CLI builds it (ConnectTimeout 30 s, no tty). */
export function sshArgs(host: HostSpec, options: SshOptions = {}): string[] {
  const extra = options.args ?? [];
  const timeout = extra.some((a) => /ConnectTimeout/i.test(a)) ? [] : ["-o", "ConnectTimeout=30"];
  return [
    ...extra,
    ...timeout,
    "-T",
    ...(host.user ? ["-l", host.user] : []),
    ...(host.port ? ["-p", String(host.port)] : []),
    "--",
    host.hostname!.replace(/^\[|\]$/g, ""),
    "docker",
    "system",
    "dial-stdio",
  ];
}

/**
 * Build the transport for an `ssh://` host with the runtime's spawn. Requests
 * reuse idle connections (HTTP keep-alive, see {@link SshPool}); a hijacked
 * attach (`dial`) gets an ssh process of its own.
 */
export function sshTransport(
  host: HostSpec,
  spawn: NonNullable<RuntimeSupport["spawn"]>,
  options: SshOptions = {},
): Transport {
  const command = options.command ?? "ssh";
  const args = sshArgs(host, options);
  const pool = new SshPool();
  const start = async (method?: string, path?: string): Promise<ChildConnection> => {
    try {
      return pool.track(await spawn(command, args));
    } catch (err) {
      throw new EngineUnreachableError(
        `Cannot reach the Docker engine at ${host.address}: cannot run ${command}: ${describeError(err)}`,
        host.address,
        { cause: err, method, path },
      );
    }
  };
  const unreachable = async (conn: ChildConnection, err: StreamProtocolError, request: SendRequest) => {
    // No answer: ssh (or dial-stdio on the far side) failed; its stderr says why.
    let timer: number | undefined;
    const exit = await Promise.race([
      conn.exited,
      new Promise<undefined>((r) => (timer = setTimeout(r, 5000) as unknown as number)),
    ]);
    clearTimeout(timer);
    const why = exit ? `ssh exited with ${exit.code}${exit.stderr ? `: ${exit.stderr.trim()}` : ""}` : err.message;
    return new EngineUnreachableError(`Cannot reach the Docker engine at ${host.address}: ${why}`, host.address, {
      cause: err,
      method: request.method,
      path: request.path,
    });
  };
  return {
    address: host.address,
    close: () => pool.close(),
    send: async (request) => {
      for (let attempt = 0;; attempt++) {
        const idle = pool.take();
        const conn = idle ?? await start(request.method, request.path);
        try {
          return await sendOverConnection(conn, request, (c) => pool.put(c as ChildConnection));
        } catch (err) {
          if (request.signal.aborted) throw request.signal.reason ?? err;
          if (!(err instanceof StreamProtocolError)) throw err;
          // A kept connection the far side closed meanwhile: once more on a fresh one (a stream cannot be replayed).
          if (idle && attempt === 0 && request.bodyKind !== "stream") continue;
          throw await unreachable(conn, err, request);
        }
      }
    },
    dial: async (signal) => {
      if (signal?.aborted) throw signal.reason;
      return await start();
    },
  };
}
