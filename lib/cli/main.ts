#!/usr/bin/env node
/**
 * The `dockwire` command: `dockwire <command> [options]`.
 *
 * Runs on Node (`npx dockwire`), Deno (`deno run -A npm:dockwire`)
 * and Bun (`bunx dockwire`). The CLI is an application on top of the core; it
 * uses `node:process` for argv, stdio and exit, which all three runtimes provide.
 *
 * @module
 */
import process from "node:process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLI_PACKAGE, MCP_PACKAGES, requirePackages } from "../entries/optional.ts";

/** A subcommand: takes its arguments, resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

/** A subcommand's entry: its help line, its module, the optional packages it needs for these arguments. */
interface CommandEntry {
  help: string;
  load: () => Promise<{ run: Command }>;
  needs?: (args: string[]) => readonly string[];
}

/** The subcommands, loaded on demand so `dockwire mcp` loads no gateway code. */
const commands: Record<string, CommandEntry> = {
  // Each subcommand module exports `run(args): Promise<number>`.
  serve: {
    help: "serve the Docker API behind a deny-by-default policy (gateway)",
    load: () => import("./serve.ts"),
    needs: (args) => ["hono", "@hono/node-server", ...(args.includes("--mcp") ? MCP_PACKAGES : [])],
  },
  mcp: {
    help: "serve Docker tools to an MCP client over stdio",
    load: () => import("./mcp.ts"),
    needs: () => [...MCP_PACKAGES, "@hono/node-server"],
  },
  images: { help: "list images; --tree / --viz draw their parent tree", load: () => import("./images.ts") },
  pull: { help: "pull an image, with progress", load: () => import("./pull.ts") },
  push: { help: "push an image, with progress", load: () => import("./push.ts") },
  build: { help: "build an image from a directory, with its output", load: () => import("./build.ts") },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.help}`);
  return `usage: dockwire <command> [options]\n\ncommands:\n${lines.join("\n")}\n`;
}

/** Run the CLI with these arguments; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "-h" || name === "--help" || name === "help") {
    process.stderr.write(usage());
    return name ? 0 : 2;
  }
  const cmd = commands[name];
  if (!cmd) {
    process.stderr.write(`dockwire: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return 2;
  }
  // The package `dockwire` leaves the gateway's and MCP server's packages to the user: say which are missing.
  const needs = cmd.needs?.(rest) ?? [];
  if (needs.length) {
    await requirePackages(
      `dockwire ${name}`,
      needs,
      `; or run the command from the ${CLI_PACKAGE} package, which brings them: npx -y ${CLI_PACKAGE} ${name}`,
    );
  }
  return await (await cmd.load()).run(rest);
}

/** Run the CLI with `argv` and exit with its code (an error is printed on one line, exit 1). */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).then((code) => process.exit(code), (err) => {
    process.stderr.write(`dockwire: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}

/** Whether this module is the program (`node main.js`, a bin link to it, `deno run`, `bun`), not imported. */
function isProgram(): boolean {
  if ((import.meta as { main?: boolean }).main) return true;
  const invoked = process.argv[1];
  if (!invoked) return false;
  try {
    return realpathSync(invoked) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isProgram()) runCli();
