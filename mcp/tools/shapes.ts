/**
 * Typed shapes for the engine values the inspect tools pass on (commands,
 * labels, binds, port maps), and the functions that bring what the engine
 * sent into them. Output schemas say a JSON type for every property (the MCP
 * Inspector's portability check; clients that build forms or validate
 * strictly need it), so no `v.unknown()` here.
 *
 * @module
 */
import * as v from "valibot";

/** A command (`Cmd`, `Entrypoint`): an argument list, or one string as some engines report it. */
export const Command = v.union([v.array(v.string()), v.string()]);
/** Labels: name → value. */
export const Labels = v.record(v.string(), v.string());
/** Bind specs (`src:dst[:mode]`). */
export const Binds = v.array(v.string());
/** A port map (`PortBindings`, `NetworkSettings.Ports`): `"80/tcp"` → host bindings, or null when unbound. */
export const PortMap = v.record(
  v.string(),
  v.nullable(v.array(v.object({ HostIp: v.optional(v.string()), HostPort: v.optional(v.string()) }))),
);

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const str = (x: unknown) => (typeof x === "string" ? x : undefined);

/** A command as {@link Command}, or undefined. */
export function commandOf(x: unknown): v.InferOutput<typeof Command> | undefined {
  if (typeof x === "string") return x;
  return Array.isArray(x) ? x.map(String) : undefined;
}

/** Labels as {@link Labels} (non-string values as JSON), or undefined. */
export function labelsOf(x: unknown): Record<string, string> | undefined {
  if (!isObject(x)) return undefined;
  return Object.fromEntries(Object.entries(x).map(([k, val]) => [k, str(val) ?? JSON.stringify(val)]));
}

/** Binds as {@link Binds}, or undefined. */
export function bindsOf(x: unknown): string[] | undefined {
  return Array.isArray(x) ? x.map(String) : undefined;
}

/** A port map as {@link PortMap}, or undefined. */
export function portMapOf(x: unknown): v.InferOutput<typeof PortMap> | undefined {
  if (!isObject(x)) return undefined;
  return Object.fromEntries(
    Object.entries(x).map(([port, list]) => [
      port,
      Array.isArray(list)
        ? list.filter(isObject).map((b) => ({ HostIp: str(b.HostIp), HostPort: str(b.HostPort) }))
        : null,
    ]),
  );
}
