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

/** A subcommand: takes its arguments, resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

/** The subcommands, loaded on demand so `dockwire mcp` loads no gateway code. */
const commands: Record<string, { help: string; load: () => Promise<{ run: Command }> }> = {
  // Each subcommand module exports `run(args): Promise<number>`.
  serve: { help: "serve the Docker API behind a deny-by-default policy (gateway)", load: () => import("./serve.ts") },
  mcp: { help: "serve Docker tools to an MCP client over stdio", load: () => import("./mcp.ts") },
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
  return await (await cmd.load()).run(rest);
}

const self = import.meta.url;
const invoked = process.argv[1] ?? "";
if ((import.meta as { main?: boolean }).main || self.endsWith(invoked) || /\/(dockwire|main\.[jt]s)$/.test(invoked)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err) => {
    process.stderr.write(`dockwire: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
