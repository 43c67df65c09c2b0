/**
 * `ssh://[user@]host[:port]` addresses, as the docker CLI takes them: no
 * password, no path, no query.
 *
 * @module
 */
import { DockerArgumentError } from "../errors.ts";
import type { HostSpec } from "./types.ts";

/** Parse an `ssh://` engine address. */
export function parseSshHost(address: string): HostSpec {
  const bad = (why: string) =>
    new DockerArgumentError(`Invalid host ${JSON.stringify(address)}: ${why}`, "host", address);
  const m = /^ssh:\/\/(?:([^@/?#]*)@)?(\[[^\]/]+\]|[^:/?#@\[\]]+)(?::([^/?#]*))?(\/?)(.*)$/.exec(address);
  if (!m) throw bad("expected ssh://[user@]host[:port]");
  const [, user, hostname, port, , extra] = m;
  if (user !== undefined && user.includes(":")) {
    throw bad("a password in an ssh:// address is not supported (use a key)");
  }
  if (user === "") throw bad("empty user name");
  if (user !== undefined && !/^[A-Za-z0-9._-][A-Za-z0-9._@-]*$/.test(user)) throw bad("invalid user name");
  if (extra !== "") throw bad("a path or query after the host is not supported");
  if (hostname.startsWith("-")) throw bad("a host name may not start with '-'");
  let portNumber: number | undefined;
  if (port !== undefined) {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) throw bad("port out of range");
    portNumber = Number(port);
  }
  return {
    scheme: "ssh",
    user,
    hostname,
    ...(portNumber !== undefined ? { port: portNumber } : {}),
    baseUrl: "http://docker",
    address,
  };
}
