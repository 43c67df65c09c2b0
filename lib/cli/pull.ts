/**
 * `dockwire pull`: pull an image, showing progress like the docker CLI.
 *
 *   dockwire pull [--host URL] [--json] [--username U] NAME[:TAG]
 *
 * Also the shared plumbing of `dockwire push` and `dockwire build`: print the
 * progress stream rendered (or raw with `--json`) and exit non-zero on an error.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import type { Docker } from "../docker.ts";
import type { AuthConfig } from "../auth.ts";
import type { ProgressKind } from "../streams/errors.ts";
import { decodeJsonMessages } from "../streams/json_stream.ts";
import { renderProgress } from "../helpers/progress.ts";
import { connectEngine, ENGINE_HELP, type EngineFlags } from "./engine.ts";

/** Options every progress command takes. */
export const COMMON_OPTIONS = {
  host: { type: "string" },
  context: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Registry options of pull and push. */
export const AUTH_OPTIONS = {
  username: { type: "string", short: "u" },
} as const;

/** The help text of the common and registry options. */
export const COMMON_HELP =
  `${ENGINE_HELP}  --json            print the engine's JSON messages, one a line, instead of rendering them
`;
export const AUTH_HELP = `  -u, --username U  registry user; the password is read from DOCKWIRE_REGISTRY_PASSWORD
`;

/** Registry credentials from `--username` and DOCKWIRE_REGISTRY_PASSWORD, for the registry of `name`. */
export function authFrom(username: string | undefined, name: string): AuthConfig | undefined {
  if (username === undefined) return undefined;
  const first = name.split("/")[0];
  const registry = name.includes("/") && /[.:]|^localhost$/.test(first) ? first : undefined;
  return { username, password: process.env.DOCKWIRE_REGISTRY_PASSWORD ?? "", serveraddress: registry };
}

/** Connect to `--host`/`--context` (else the environment), run `open`, print its stream; resolves to the exit code. */
export async function progressCommand(
  engine: EngineFlags,
  json: boolean | undefined,
  kind: ProgressKind,
  open: (docker: Docker) => Promise<ReadableStream<Uint8Array>>,
): Promise<number> {
  const docker = await connectEngine(engine, kind);
  const ac = new AbortController();
  const onSigint = () => ac.abort(new Error("interrupted"));
  process.once("SIGINT", onSigint);
  try {
    const body = await open(docker);
    if (json) {
      try {
        for await (const m of decodeJsonMessages(body, { kind })) process.stdout.write(JSON.stringify(m) + "\n");
        return 0;
      } catch (err) {
        process.stderr.write(`dockwire: ${(err as Error).message}\n`);
        return 1;
      }
    }
    const tty = process.stdout.isTTY === true;
    const result = await renderProgress(body, {
      write: (s) => writeOut(s),
      tty,
      columns: process.stdout.columns,
      kind,
      signal: ac.signal,
    });
    return result.error ? 1 : 0;
  } finally {
    process.off("SIGINT", onSigint);
    docker.close();
  }
}

/** Write to stdout, waiting when its buffer is full. */
function writeOut(s: string): Promise<void> | void {
  if (process.stdout.write(s)) return;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}

const HELP = `usage: dockwire pull [options] NAME[:TAG]

Pull an image (all of its layers) from a registry. Without a tag, "latest".

${COMMON_HELP}${AUTH_HELP}`;

/** Split `name[:tag]` (a `:` after the last `/` starts the tag). */
export function splitTag(ref: string): { name: string; tag?: string } {
  const at = ref.lastIndexOf(":");
  return at > ref.lastIndexOf("/") && !ref.includes("@")
    ? { name: ref.slice(0, at), tag: ref.slice(at + 1) }
    : { name: ref };
}

/** `dockwire pull`. */
export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { ...COMMON_OPTIONS, ...AUTH_OPTIONS },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1) {
    process.stderr.write(HELP);
    return values.help ? 0 : 2;
  }
  const ref = positionals[0];
  const { name, tag } = splitTag(ref);
  return await progressCommand(values, values.json, "pull", (docker) =>
    docker.images.pull(name, {
      tag: ref.includes("@") ? undefined : tag ?? "latest",
      auth: authFrom(values.username, name),
    }));
}
