import { DockerArgumentError } from "../errors.ts";
import type { HostSpec } from "./types.ts";
import { parseSshHost } from "./ssh_host.ts";

/** The engine address used when neither the option nor DOCKER_HOST names one. */
export const DEFAULT_HOST = "unix:///var/run/docker.sock";

/**
 * Parse a `DOCKER_HOST`-style address: `unix:///path`, `tcp://host:port`,
 * `http://host:port`, `https://host:port`, `ssh://[user@]host[:port]`.
 * `tcp://` means https when TLS is on.
 *
 * @example
 * ```ts
 * parseHost("tcp://127.0.0.1:2375").baseUrl; // "http://127.0.0.1:2375"
 * ```
 */
export function parseHost(address: string, tls = false): HostSpec {
  const field = "host";
  if (typeof address !== "string" || address.length === 0) {
    throw new DockerArgumentError(`Invalid ${field} ${JSON.stringify(address)}: empty`, field, address);
  }
  if (address.startsWith("unix://")) {
    const socketPath = address.slice("unix://".length);
    if (!socketPath.startsWith("/")) {
      throw new DockerArgumentError(
        `Invalid ${field} ${JSON.stringify(address)}: a unix socket needs an absolute path (unix:///path)`,
        field,
        address,
      );
    }
    return { scheme: "unix", socketPath, baseUrl: "http://docker", address };
  }
  if (address.startsWith("ssh://")) return parseSshHost(address);
  const m = /^(tcp|http|https):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(address);
  if (!m) {
    throw new DockerArgumentError(
      `Invalid ${field} ${
        JSON.stringify(address)
      }: expected unix:///path, tcp://host:port, http://host:port, https://host:port or ssh://user@host`,
      field,
      address,
    );
  }
  const scheme = m[1] === "https" || (m[1] === "tcp" && tls) ? "https" : "http";
  const hostname = m[2];
  const port = m[3] ? Number(m[3]) : scheme === "https" ? 2376 : 2375;
  if (port < 1 || port > 65535) {
    throw new DockerArgumentError(`Invalid ${field} ${JSON.stringify(address)}: port out of range`, field, address);
  }
  return { scheme, hostname, port, baseUrl: `${scheme}://${hostname}:${port}`, address };
}
