/**
 * The help of a `dockwire` command, printed from its flag table: the usage
 * line, every flag with its one-line description and default, the
 * environment it reads and its exit codes.
 *
 * @module
 */
import type { CommandSpec, Flag } from "./flags.ts";

const HELP_FLAG: Flag = { short: "h", kind: "boolean", help: "show this help and exit", defaultText: "" };

/** The placeholder of a flag's value in help and messages (`URL`, `N`, `a|b|c`). */
export function placeholder(f: Flag): string {
  if (f.value) return f.value;
  if (f.kind === "enum") return f.choices?.join("|") ?? "VALUE";
  return f.kind === "port" || f.kind === "integer" ? "N" : f.kind === "ms" ? "MS" : "VALUE";
}

/** The usage line of `spec`. */
export function usageLine(spec: CommandSpec): string {
  const operands = (spec.operands ?? []).map((o) => ` ${o.usage ?? o.name}`).join("");
  return `usage: dockwire ${spec.name} [options]${operands}`;
}

/** The full help of `spec`: usage, description, every flag with its default, environment, exit codes. */
export function helpText(spec: CommandSpec): string {
  const rows = [...Object.entries(spec.flags), ["help", HELP_FLAG] as const].map(([name, f]) => {
    const left = `${f.short ? `-${f.short}, ` : "    "}--${name}${f.kind === "boolean" ? "" : ` ${placeholder(f)}`}`;
    const def = f.defaultText ?? (f.default !== undefined ? String(f.default) : f.kind === "boolean" ? "off" : "none");
    return [left, `${f.help}${f.repeat || f.list ? " (repeatable)" : ""}${def ? ` [default: ${def}]` : ""}`];
  });
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  const env = Object.entries(spec.environment ?? {});
  const envWidth = Math.max(0, ...env.map(([k]) => k.length)) + 2;
  return [
    usageLine(spec),
    "",
    spec.description,
    "",
    "options:",
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}${r}`),
    ...(env.length ? ["", "environment:", ...env.map(([k, v]) => `  ${k.padEnd(envWidth)}${v}`)] : []),
    "",
    "exit codes:",
    "  0  success",
    `  1  ${spec.failure}`,
    "  2  usage error: an unknown option, a missing argument or a bad flag value (nothing was started)",
    "",
  ].join("\n");
}
