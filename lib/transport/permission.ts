/**
 * Deno's permission refusals (`NotCapable`: a missing `--allow-*` flag;
 * `PermissionDenied`: the operating system said no) as a typed
 * {@link PermissionError} that names the flag to add, instead of a raw
 * runtime error or an "engine unreachable". Recognised by name, so the
 * shared modules (the file-system contexts) need no Deno types.
 *
 * @module
 */
import { type DockerErrorInit, PermissionError } from "../errors.ts";

/** Whether `err` is Deno's refusal of an access (`NotCapable` or `PermissionDenied`). */
export function isPermissionRefusal(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  return name === "NotCapable" || name === "PermissionDenied";
}

/**
 * `err` as a {@link PermissionError} when it is a permission refusal, else
 * undefined. `action` says what failed (`reach the Docker engine at unix:///...`);
 * `also` adds flags the same call needs as well (a unix socket wants read and
 * write access).
 */
export function permissionError(
  err: unknown,
  action: string,
  also: string[] = [],
  init: DockerErrorInit = {},
): PermissionError | undefined {
  if (!isPermissionRefusal(err)) return undefined;
  const message = (err as Error).message ?? String(err);
  const m = /Requires (\w+) access to "([^"]*)"/.exec(message);
  if (!m) {
    return new PermissionError(`Cannot ${action}: permission denied by the operating system: ${message}`, {}, {
      ...init,
      cause: err,
    });
  }
  const [, kind, resource] = m;
  const own = `--allow-${kind}=${resource}`;
  // The refused one, unless a flag of `also` grants it already (`--allow-net=unix:/s,docker:80`).
  const covered = also.some((f) =>
    f.startsWith(`--allow-${kind}=`) && f.slice(own.indexOf("=") + 1).split(",").includes(resource)
  );
  const flags = [...new Set(covered ? also : [...also, own])].sort().join(" ");
  return new PermissionError(
    `Cannot ${action}: Deno refused ${kind} access to "${resource}": run with ${flags} (or -A)`,
    { flag: flags, resource },
    { ...init, cause: err },
  );
}
