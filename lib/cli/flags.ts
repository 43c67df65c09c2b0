/**
 * The flag tables of the `dockwire` commands and the one parser they drive:
 * a command declares its flags once (name, short form, kind, default,
 * one-line help) and gets parsing and value checks from that table, and
 * `--help` / `dockwire help <command>` from the same table (help.ts).
 *
 * @module
 */
import { placeholder } from "./help.ts";
import { nearest } from "./suggest.ts";

/** How a flag's value is read and checked. */
export type FlagKind = "boolean" | "string" | "port" | "integer" | "ms" | "enum";

/** One flag of a command. */
export interface Flag {
  /** One-letter form (`H` for `-H`). */
  short?: string;
  /** How the value is read; default `string`. */
  kind?: FlagKind;
  /** The value's placeholder in help (`URL`, `N`); default from the kind. */
  value?: string;
  /** One line: what the flag does. */
  help: string;
  /** The value when the flag is absent (applied by the parser, shown in help). */
  default?: string | number;
  /** What help shows as the default when it is not a plain value (`DOCKER_HOST, else ...`). */
  defaultText?: string;
  /** `enum`: the accepted values. */
  choices?: readonly string[];
  /** The flag may be given more than once; the values are collected in order. */
  repeat?: boolean;
  /** Each value is a comma-separated list (implies `repeat`; values are split and concatenated). */
  list?: boolean;
}

/** A command's flag table: long name (without `--`) to flag. */
export type Flags = Record<string, Flag>;

/** An operand (positional argument) of a command. */
export interface Operand {
  /** Its name in messages (`NAME`). */
  name: string;
  /** Its form in the usage line (`NAME[:TAG]`); default `name`. */
  usage?: string;
}

/** What a command declares about its command line. */
export interface CommandSpec<F extends Flags = Flags> {
  /** `pull`, `serve` ... */
  name: string;
  /** What the command does, the paragraph under the usage line. */
  description: string;
  flags: F;
  /** Required operands, in order (none by default). */
  operands?: readonly Operand[];
  /** Environment variables the command reads, with what for. */
  environment?: Record<string, string>;
  /** What exit code 1 means for this command. */
  failure: string;
}

type Scalar<T extends Flag> = T extends { kind: "enum"; choices: readonly (infer C)[] } ? C
  : T["kind"] extends "boolean" ? boolean
  : T["kind"] extends "port" | "integer" | "ms" ? number
  : string;

/** The parsed values of a flag table, typed from it. */
export type FlagValues<F extends Flags> = {
  [K in keyof F]: F[K] extends { repeat: true } | { list: true } ? Scalar<F[K]>[]
    : F[K] extends { default: string | number } | { kind: "boolean" } ? Scalar<F[K]>
    : Scalar<F[K]> | undefined;
};

/** A parsed command line. */
export interface Parsed<F extends Flags> {
  values: FlagValues<F>;
  operands: string[];
  /** `-h` / `--help` was given. */
  help: boolean;
}

/** The command line is wrong: the message names the flag and the value; exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parse `args` against `spec`; throws {@link UsageError} on anything the table does not allow. */
export function parseFlags<F extends Flags>(spec: CommandSpec<F>, args: readonly string[]): Parsed<F> {
  const flags: Flags = spec.flags;
  const values: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(flags)) {
    values[name] = f.repeat || f.list ? [] : f.kind === "boolean" ? false : f.default;
  }
  const operands: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      operands.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const written = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const name = lookup(spec, written);
    if (name === "help") {
      help = true;
      continue;
    }
    const f = flags[name];
    if (f.kind === "boolean") {
      if (inline !== undefined) throw new UsageError(`${written} takes no value, not ${JSON.stringify(inline)}`);
      values[name] = true;
      continue;
    }
    const raw = inline ?? args[++i];
    if (raw === undefined) throw new UsageError(`${written} needs a value (${placeholder(f)})`);
    const v = convert(`--${name}`, f, raw);
    if (f.list) (values[name] as unknown[]).push(...(v as string).split(",").map((s) => s.trim()).filter(Boolean));
    else if (f.repeat) (values[name] as unknown[]).push(v);
    else values[name] = v;
  }
  if (!help) checkOperands(spec, operands);
  return { values: values as FlagValues<F>, operands, help };
}

/** The long name `written` (`--port`, `-H`) stands for; throws a UsageError naming the nearest flag. */
function lookup(spec: CommandSpec, written: string): string {
  if (written === "--help" || written === "-h") return "help";
  if (written.startsWith("--")) {
    const name = written.slice(2);
    if (Object.hasOwn(spec.flags, name)) return name;
  } else if (written.length === 2) {
    const found = Object.entries(spec.flags).find(([, f]) => f.short === written[1]);
    if (found) return found[0];
  }
  const names = [...Object.keys(spec.flags).map((n) => `--${n}`), "--help"];
  const close = nearest(written.replace(/^-+/, "--"), names);
  throw new UsageError(`unknown option ${written}${close ? ` (did you mean ${close}?)` : ""}`);
}

/** Check and convert one value. */
function convert(flag: string, f: Flag, raw: string): string | number {
  switch (f.kind ?? "string") {
    case "port": {
      if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
        throw new UsageError(`${flag} must be a port number from 0 to 65535, not ${JSON.stringify(raw)}`);
      }
      return Number(raw);
    }
    case "integer":
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
        throw new UsageError(`${flag} must be a whole number, not ${JSON.stringify(raw)}`);
      }
      return Number(raw);
    case "ms":
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
        throw new UsageError(`${flag} must be a positive number of milliseconds, not ${JSON.stringify(raw)}`);
      }
      return Number(raw);
    case "enum":
      if (!f.choices?.includes(raw)) {
        throw new UsageError(`${flag} must be one of ${f.choices?.join(", ")}, not ${JSON.stringify(raw)}`);
      }
      return raw;
    default:
      if (raw === "") throw new UsageError(`${flag} needs a non-empty value`);
      return raw;
  }
}

function checkOperands(spec: CommandSpec, operands: string[]): void {
  const want = spec.operands ?? [];
  if (operands.length < want.length) throw new UsageError(`missing ${want[operands.length].name}`);
  if (operands.length > want.length) {
    throw new UsageError(`unexpected argument ${JSON.stringify(operands[want.length])}`);
  }
}
