/**
 * The packages only the gateway, the MCP server and their commands use, which
 * the npm package `dockwire` declares as optional peer dependencies (npm does
 * not install them), and the check that turns a missing one into an error
 * that says what to install instead of a bare module-not-found.
 *
 * The ranges here are package.json's `peerDependencies` and deno.json's
 * imports (test/packaging/entries_test.ts holds them equal).
 *
 * @module
 */

/** One optional package: the version range to install and an import that proves it is there. */
export interface OptionalPackage {
  range: string;
  probe: () => Promise<unknown>;
}

/** The optional packages, by name (each probe imports a module the code in question imports). */
export const OPTIONAL_PACKAGES: Record<string, OptionalPackage> = {
  "hono": { range: "^4.13.19", probe: () => import("hono") },
  "@hono/node-server": { range: "^2.1.9", probe: () => import("@hono/node-server") },
  "@modelcontextprotocol/sdk": {
    range: "^1.32.2",
    probe: () => import("@modelcontextprotocol/sdk/types.js"),
  },
  "@valibot/to-json-schema": { range: "^1.8.0", probe: () => import("@valibot/to-json-schema") },
};

/** What `dockwire/hono` imports beyond the core. */
export const HONO_PACKAGES: readonly string[] = ["hono"];
/** What `dockwire/mcp` imports beyond the core. */
export const MCP_PACKAGES: readonly string[] = ["@modelcontextprotocol/sdk", "@valibot/to-json-schema", "hono"];
/** What `dockwire/tools` imports beyond the core (the MCP SDK is not among them). */
export const TOOLS_PACKAGES: readonly string[] = ["@valibot/to-json-schema"];
/** The package for people who run the `dockwire` command: dockwire plus all of the above. */
export const CLI_PACKAGE = "@dockwire/cli";

/** An optional package that `what` needs is not installed. */
export class MissingPackageError extends Error {
  override name = "MissingPackageError";
  /** The packages that are missing. */
  readonly missing: string[];
  constructor(message: string, missing: string[], cause?: unknown) {
    super(message, { cause });
    this.missing = missing;
  }
}

function list(names: readonly string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/**
 * The message for `what` (`dockwire/mcp`, `dockwire serve` ...) missing
 * `missing` of the packages it `needs`, with the command that installs them.
 */
export function missingMessage(what: string, needs: readonly string[], missing: readonly string[]): string {
  const install = missing.map((name) => `${name}@${OPTIONAL_PACKAGES[name]?.range ?? "latest"}`).join(" ");
  return `${what} needs ${list(needs)}, which the dockwire package does not install ` +
    `(optional peer dependencies); missing: ${list(missing)}. Add ${missing.length > 1 ? "them" : "it"}: ` +
    `npm install ${install}`;
}

/**
 * Resolve when every package in `needs` can be imported; otherwise throw a
 * {@link MissingPackageError} naming the missing ones and how to add them
 * (`hint` is appended, e.g. the CLI package to use instead).
 */
export async function requirePackages(what: string, needs: readonly string[], hint = ""): Promise<void> {
  const missing: string[] = [];
  let cause: unknown;
  for (const name of needs) {
    const pkg = OPTIONAL_PACKAGES[name];
    if (!pkg) throw new TypeError(`requirePackages: ${JSON.stringify(name)} is not an optional package`);
    try {
      await pkg.probe();
    } catch (err) {
      missing.push(name);
      cause ??= err;
    }
  }
  if (missing.length) throw new MissingPackageError(missingMessage(what, needs, missing) + hint, missing, cause);
}
