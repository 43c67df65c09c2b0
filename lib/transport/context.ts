/**
 * The docker CLI's context store, read the way the CLI reads it: the current
 * context's name from `$DOCKER_CONFIG/config.json` (`currentContext`), a
 * context's endpoint from `contexts/meta/<sha256 of the name>/meta.json`
 * (`Endpoints.docker.Host`, `SkipTLSVerify`) and its TLS material from
 * `contexts/tls/<sha256 of the name>/docker/{ca,cert,key}.pem`.
 *
 * @module
 */
import { DockerArgumentError } from "../errors.ts";
import { sha256Hex } from "./sha256.ts";
import type { FileAccess, TlsMaterial } from "./types.ts";

/** A docker context's engine endpoint. */
export interface ContextEndpoint {
  /** The context's name. */
  name: string;
  /** `Endpoints.docker.Host`; undefined when the context names none (the defaults apply). */
  host?: string;
  /** `Endpoints.docker.SkipTLSVerify`. */
  skipTlsVerify: boolean;
  /** PEM text from the context's TLS folder, when it has any. */
  tls?: Pick<TlsMaterial, "ca" | "cert" | "key">;
  /** The meta.json the endpoint was read from. */
  metaPath: string;
}

/** The name that means "no context": the environment and the defaults decide. */
export const DEFAULT_CONTEXT = "default";

/** Context names the docker CLI accepts (`docker context create`). */
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]+$/;

/** The docker CLI's configuration folder: `DOCKER_CONFIG`, else `$HOME/.docker`. */
export function dockerConfigDir(env: (name: string) => string | undefined): string | undefined {
  const dir = env("DOCKER_CONFIG");
  if (dir) return dir;
  const home = env("HOME") ?? env("USERPROFILE");
  return home ? `${home}/.docker` : undefined;
}

function parseJson(text: string, path: string, field: string): Record<string, unknown> {
  try {
    const value = JSON.parse(text);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch { /* reported below */ }
  throw new DockerArgumentError(`Cannot read ${path}: not a JSON object`, field, path);
}

/** `currentContext` from config.json, or undefined when the file or the key is absent. */
export function currentContextName(configDir: string, files: FileAccess): string | undefined {
  const path = `${configDir}/config.json`;
  const text = files.readText(path);
  if (text === undefined) return undefined;
  const name = parseJson(text, path, "currentContext").currentContext;
  return typeof name === "string" && name !== "" ? name : undefined;
}

/**
 * Read a context's docker endpoint from the store under `configDir`. A name
 * the CLI would refuse, or one with no meta.json, is a {@link DockerArgumentError}
 * (field `context`) naming the context and the store path.
 */
export function readContext(name: string, configDir: string, files: FileAccess): ContextEndpoint {
  if (!NAME.test(name)) {
    throw new DockerArgumentError(
      `Invalid context ${JSON.stringify(name)}: names are letters, digits and _.+- (starting with a letter or digit)`,
      "context",
      name,
    );
  }
  const id = sha256Hex(name);
  const metaPath = `${configDir}/contexts/meta/${id}/meta.json`;
  const text = files.readText(metaPath);
  if (text === undefined) {
    throw new DockerArgumentError(
      `Docker context ${JSON.stringify(name)} not found: no ${metaPath} (list them with "docker context ls")`,
      "context",
      name,
    );
  }
  const meta = parseJson(text, metaPath, "context");
  const endpoints = meta.Endpoints as Record<string, Record<string, unknown> | undefined> | undefined;
  const docker = endpoints?.docker;
  const host = typeof docker?.Host === "string" && docker.Host !== "" ? docker.Host : undefined;
  const tlsDir = `${configDir}/contexts/tls/${id}/docker`;
  const tls = { ca: files.readText(`${tlsDir}/ca.pem`), cert: files.readText(`${tlsDir}/cert.pem`) };
  const key = files.readText(`${tlsDir}/key.pem`);
  const any = tls.ca !== undefined || tls.cert !== undefined || key !== undefined;
  return {
    name,
    host,
    skipTlsVerify: docker?.SkipTLSVerify === true,
    tls: any ? { ...tls, key } : undefined,
    metaPath,
  };
}
