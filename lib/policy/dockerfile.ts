/**
 * Dockerfile rules: the images a build uses are checked with the image rules
 * (`FROM`, `COPY --from` / `ADD --from`, `RUN --mount=from=`, the `# syntax=`
 * frontend), and forms the check cannot see through are refused:
 *
 * - `dockerfile.arg-in-from`: `$VAR` / `${VAR}` in a `FROM` image (unless the
 *   operator allows it: `allowDockerfileArgs`; then the ARG defaults are
 *   substituted and checked where they are known);
 * - `dockerfile.copy-from`: the same in a `--from` value;
 * - `dockerfile.mount-source`: `RUN --mount` binding a context path that
 *   leaves the context (`..` or absolute; the classic builder refuses
 *   `RUN --mount` anyway, BuildKit does not);
 * - `dockerfile.outside-context`: a `COPY`/`ADD` source leaving the context.
 *
 * @module
 */
import { checkImage, type ImageLookup, type ImageRules } from "./images.ts";
import { type DockerfileInstruction, mountFields, parseDockerfile, unquote } from "./dockerfile_parse.ts";
import { Refusal } from "./refusal.ts";

/** Image rules plus the Dockerfile's own option. */
export interface DockerfileRules extends ImageRules {
  /** Let `FROM $X` / `--from=$X` through (their ARG defaults are checked where known). Default false. */
  allowDockerfileArgs?: boolean;
  /**
   * The build's argument values (the gateway's `buildargs=`): they override
   * the ARG defaults a `FROM $X` is checked with. Only string values count.
   */
  buildArgs?: Record<string, unknown>;
}

/** One image a Dockerfile uses. */
export interface DockerfileImage {
  /** The reference (ARG defaults substituted when allowed). */
  image: string;
  /** Where it comes from: `FROM`, `COPY --from`, `ADD --from`, `RUN --mount`, `# syntax`. */
  source: string;
  /** 1-based line. */
  line: number;
}

const flag = (ins: DockerfileInstruction, name: string) => ins.flags.filter((f) => f.name === name);

/** Replace `$X` / `${X}` / `${X:-d}` with known values; undefined when something is left unknown. */
function substitute(value: string, args: Map<string, string | undefined>): string | undefined {
  let unknown = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+]([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (
    _m,
    braced: string | undefined,
    dflt: string | undefined,
    bare: string | undefined,
  ) => {
    const v = args.get((braced ?? bare)!) ?? dflt;
    if (v === undefined) unknown = true;
    return v ?? "";
  });
  return unknown || out.includes("$") ? undefined : out;
}

/** Whether a context path leaves the context (`..` climbing above its root). */
function leavesContext(path: string): boolean {
  let depth = 0;
  for (const seg of path.split(/[\\/]+/)) {
    if (seg === "..") depth--;
    else if (seg !== "." && seg !== "") depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * The images a Dockerfile uses, in order; throws a {@link Refusal} for the
 * forms the image check cannot see through. `scratch` and stage names are
 * not images.
 */
export function dockerfileImages(text: string, rules: DockerfileRules = {}): DockerfileImage[] {
  const { directives, instructions } = parseDockerfile(text);
  const out: DockerfileImage[] = [];
  if (directives.syntax) out.push({ image: directives.syntax, source: "# syntax", line: 1 });
  const globalArgs = new Map<string, string | undefined>();
  const stages: string[] = [];
  let seenFrom = false;
  const resolve = (value: string, rule: string, what: string, line: number): string | undefined => {
    if (!value.includes("$")) return value;
    if (!rules.allowDockerfileArgs) {
      throw new Refusal(
        rule,
        `Dockerfile line ${line}: ${what} ${JSON.stringify(value)} uses a build argument, so the image it names ` +
          "cannot be checked (the operator can allow this with allowDockerfileArgs)",
      );
    }
    return substitute(value, globalArgs);
  };
  // A stage is named (FROM, --from) or, in --from only, numbered.
  const isStage = (ref: string, source: string) =>
    stages.includes(ref.toLowerCase()) || (source !== "FROM" && /^\d+$/.test(ref));
  const add = (image: string | undefined, source: string, line: number) => {
    if (image && image.toLowerCase() !== "scratch" && !isStage(image, source)) out.push({ image, source, line });
  };
  for (const ins of instructions) {
    if (ins.keyword === "ARG" && !seenFrom) {
      for (const a of ins.args) {
        const eq = a.indexOf("=");
        const name = eq < 0 ? a : a.slice(0, eq);
        const given = rules.buildArgs && Object.hasOwn(rules.buildArgs, name) ? rules.buildArgs[name] : undefined;
        globalArgs.set(name, typeof given === "string" ? given : eq < 0 ? undefined : unquote(a.slice(eq + 1)));
      }
    } else if (ins.keyword === "FROM") {
      seenFrom = true;
      const ref = ins.args[0] ?? "";
      add(resolve(ref, "dockerfile.arg-in-from", "FROM image", ins.line), "FROM", ins.line);
      const as = ins.args.findIndex((a) => a.toLowerCase() === "as");
      stages.push(as >= 0 && ins.args[as + 1] ? ins.args[as + 1].toLowerCase() : `\0${stages.length}`);
    } else if (ins.keyword === "COPY" || ins.keyword === "ADD") {
      const from = flag(ins, "from");
      for (const f of from) {
        const v = unquote(f.value) ?? "";
        add(resolve(v, "dockerfile.copy-from", `${ins.keyword} --from`, ins.line), `${ins.keyword} --from`, ins.line);
      }
      if (from.length === 0) {
        for (const src of ins.args.slice(0, -1)) {
          if (ins.keyword === "ADD" && /^(https?:\/\/|git@|git:\/\/)/.test(src)) continue;
          if (leavesContext(src)) {
            throw new Refusal(
              "dockerfile.outside-context",
              `Dockerfile line ${ins.line}: ${ins.keyword} source ${JSON.stringify(src)} leaves the build context`,
            );
          }
        }
      }
    } else if (ins.keyword === "RUN") {
      for (const f of flag(ins, "mount")) {
        const m = mountFields(unquote(f.value) ?? "");
        if (m.from !== undefined) {
          add(resolve(m.from, "dockerfile.copy-from", "RUN --mount from", ins.line), "RUN --mount", ins.line);
        }
        const src = m.source ?? m.src;
        const type = m.type ?? "bind";
        if (
          type === "bind" && m.from === undefined && src !== undefined && (src.startsWith("/") || leavesContext(src))
        ) {
          throw new Refusal(
            "dockerfile.mount-source",
            `Dockerfile line ${ins.line}: RUN --mount binds ${JSON.stringify(src)}, outside the build context`,
          );
        }
      }
    }
  }
  return out;
}

/** Options of {@link checkDockerfile}. */
export interface CheckDockerfileOptions {
  /** Abort the engine look-ups. */
  signal?: AbortSignal;
  /** How deep in base images' ONBUILD triggers this check is (internal; at most 4 levels). */
  depth?: number;
}

/**
 * Check a Dockerfile: its forms ({@link dockerfileImages}), then every image
 * it uses with the image rules, resolved through the engine (a missing one is
 * what the build would pull: matched by its names), and the `ONBUILD`
 * triggers of the local base images. Throws a {@link Refusal} that names the line.
 *
 * @example
 * ```ts
 * await checkDockerfile({ denyImages: ["alpine*"] }, docker, "FROM alpine:3\n"); // Refusal image.deny
 * ```
 */
export async function checkDockerfile(
  rules: DockerfileRules,
  docker: ImageLookup,
  text: string,
  options: CheckDockerfileOptions = {},
): Promise<DockerfileImage[]> {
  const images = dockerfileImages(text, rules);
  for (const img of images) {
    try {
      const checked = await checkImage(rules, docker, img.image, { signal: options.signal, pull: true });
      // A base image's ONBUILD triggers run in this build: they are held to the same rules.
      if (img.source === "FROM" && checked.onBuild && (options.depth ?? 0) < 4) {
        await checkDockerfile(rules, docker, `FROM scratch\n${checked.onBuild.join("\n")}\n`, {
          ...options,
          depth: (options.depth ?? 0) + 1,
        });
      }
    } catch (err) {
      if (!(err instanceof Refusal)) throw err;
      throw new Refusal(err.rule, `Dockerfile line ${img.line} (${img.source}): ${err.message}`, err.status);
    }
  }
  return images;
}
