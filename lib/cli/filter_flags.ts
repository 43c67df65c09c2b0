/**
 * The flags that carry today's fields on the command line, as the docker CLI spells them:
 * `--filter KEY=VALUE` (images: label, dangling, reference), `--label KEY=VALUE` and
 * `--platform OS/ARCH` (build, pull). Each becomes the library's typed option, which
 * sends the call at a version that has the field or refuses naming it.
 *
 * @module
 */
import type { ImageFilters } from "../compat/list_filters.ts";
import { UsageError } from "./flags.ts";

/** `--filter` for `dockwire images`. */
export const IMAGE_FILTER_FLAGS = {
  filter: {
    value: "KEY=VALUE",
    repeat: true,
    help: "only images matching: label=KEY[=VALUE], dangling=true|false, reference=PATTERN (repeatable)",
  },
} as const;

/** `--label` for `dockwire build`. */
export const LABEL_FLAGS = {
  label: { value: "KEY=VALUE", repeat: true, help: "set a label on the image (repeatable)" },
} as const;

/** `--platform` for `dockwire build` and `dockwire pull`. */
export const PLATFORM_FLAGS = {
  platform: { value: "OS/ARCH", help: "the platform, e.g. linux/amd64", defaultText: "the engine's" },
} as const;

function split(flag: string, text: string): [string, string | undefined] {
  const at = text.indexOf("=");
  if (at === 0) throw new UsageError(`${flag} ${JSON.stringify(text)}: expected KEY=VALUE`);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** `--filter` values → the library's image filters; an unknown key or a bad value is a usage error. */
export function imageFilters(values: string[]): ImageFilters | undefined {
  if (values.length === 0) return undefined;
  const out: ImageFilters = {};
  for (const text of values) {
    const [key, value] = split("--filter", text);
    if (value === undefined || value === "") {
      throw new UsageError(`--filter ${JSON.stringify(text)}: expected KEY=VALUE (label, dangling or reference)`);
    }
    if (key === "label") (out.label ??= []).push(value);
    else if (key === "reference") (out.reference ??= []).push(value);
    else if (key === "dangling") {
      if (value !== "true" && value !== "false") {
        throw new UsageError(`--filter dangling=${value}: expected dangling=true or dangling=false`);
      }
      out.dangling = value === "true";
    } else throw new UsageError(`--filter ${JSON.stringify(text)}: unknown filter ${key} (label, dangling, reference)`);
  }
  return out;
}

/** `--label` values → `{ key: value }`. */
export function labels(values: string[]): Record<string, string> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const text of values) {
    const [key, value] = split("--label", text);
    out[key] = value ?? "";
  }
  return out;
}
