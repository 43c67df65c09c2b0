#!/usr/bin/env node
/**
 * The `dockwire` command: `dockwire <command> [options]`.
 *
 * Runs on Node (`npx dockwire`), Deno (`deno run -A npm:dockwire`)
 * and Bun (`bunx --bun dockwire`: without `--bun`, bunx follows the
 * `#!/usr/bin/env node` line and runs Node; `--version` says which). The CLI is an application on top of the core; it
 * uses `node:process` for argv, stdio and exit, which all three runtimes provide.
 *
 * @module
 */
import process from "node:process";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CLI_PACKAGE, MCP_PACKAGES, requirePackages } from "../entries/optional.ts";
import { type CommandSpec, type Parsed, parseFlags, UsageError } from "./flags.ts";
import { helpText, usageLine } from "./help.ts";
import { nearest } from "./suggest.ts";
import { versionLine } from "./version.ts";

/** A command module: its flag table and what it does with the parsed command line (resolves to the exit code). */
export interface CommandModule {
  // deno-lint-ignore no-explicit-any
  spec: CommandSpec<any>;
  // deno-lint-ignore no-explicit-any
  run(parsed: Parsed<any>): Promise<number>;
}

/** A subcommand's entry: its help line, its module, the optional packages it needs for these arguments. */
interface CommandEntry {
  help: string;
  load: () => Promise<CommandModule>;
  needs?: (args: string[]) => readonly string[];
}

/** The subcommands, loaded on demand so `dockwire mcp` loads no gateway code. */
const commands: Record<string, CommandEntry> = {
  serve: {
    help: "serve the Docker API behind a deny-by-default policy (gateway)",
    load: () => import("./serve.ts"),
    needs: (args) => ["hono", "@hono/node-server", ...(args.includes("--mcp") ? MCP_PACKAGES : [])],
  },
  mcp: {
    help: "serve Docker tools to an MCP client over stdio or Streamable HTTP",
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
  return `usage: dockwire <command> [options]\n       dockwire help <command> | --version\n\ncommands:\n${
    lines.join("\n")
  }\n\nEvery command takes -H/--host URL (the engine; default DOCKER_HOST, else the local socket) and -h/--help.\n` +
    "Exit codes: 0 success, 1 the engine or the operation failed, 2 usage error.\n";
}

/** The entry of `name`; prints the unknown-command error (with the nearest name) when there is none. */
function entry(name: string): CommandEntry | undefined {
  if (Object.hasOwn(commands, name)) return commands[name];
  const close = nearest(name, Object.keys(commands));
  process.stderr.write(
    `dockwire: unknown command ${JSON.stringify(name)}${close ? ` (did you mean ${close}?)` : ""}\n${usage()}`,
  );
  return undefined;
}

/** Load a command's module, after checking the optional packages it needs. */
async function load(name: string, cmd: CommandEntry, args: string[]): Promise<CommandModule> {
  // The package `dockwire` leaves the gateway's and MCP server's packages to the user: say which are missing.
  const needs = cmd.needs?.(args) ?? [];
  if (needs.length) {
    await requirePackages(
      `dockwire ${name}`,
      needs,
      `; or run the command from the ${CLI_PACKAGE} package, which brings them: npx -y ${CLI_PACKAGE} ${name}`,
    );
  }
  return await cmd.load();
}

/**
 * `dockwire -H URL pull x` as `dockwire pull x -H URL`: the engine flags may
 * come before the command, as with the docker CLI.
 */
function leadingEngineFlags(argv: string[]): string[] {
  const moved: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (/^--host=/.test(a)) moved.push(a);
    else if ((a === "-H" || a === "--host") && i + 1 < argv.length) moved.push(a, argv[++i]);
    else break;
  }
  return i < argv.length ? [argv[i], ...moved, ...argv.slice(i + 1)] : argv;
}

/** Run the CLI with these arguments; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = leadingEngineFlags(argv);
  if (name === "--version" || name === "-v" || name === "version") {
    process.stdout.write(versionLine() + "\n");
    return 0;
  }
  if (name === "help" && rest.length > 0) return await main([rest[0], "--help"]);
  if (!name || name === "-h" || name === "--help" || name === "help") {
    (name ? process.stdout : process.stderr).write(usage());
    return name ? 0 : 2;
  }
  const cmd = entry(name);
  if (!cmd) return 2;
  const mod = await load(name, cmd, rest);
  try {
    const parsed = parseFlags(mod.spec, rest);
    if (parsed.help) {
      process.stdout.write(helpText(mod.spec));
      return 0;
    }
    return await mod.run(parsed);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(
      `dockwire ${name}: ${err.message}\n${usageLine(mod.spec)}\nRun "dockwire ${name} --help" for its options.\n`,
    );
    return 2;
  }
}

/** Run the CLI with `argv` and exit with its code (an error is printed on one line, exit 1). */
export function runCli(argv: string[] = process.argv.slice(2)): void {
  main(argv).then((code) => process.exit(code), (err) => {
    const command = argv[0] && Object.hasOwn(commands, argv[0]) ? ` ${argv[0]}` : "";
    process.stderr.write(`dockwire${command}: ${err instanceof Error ? err.message : String(err)}\n`);
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
