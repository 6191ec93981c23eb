import { parseArgs } from "node:util";
import { usageError } from "../errors/cli-error.ts";
import { type AnyFlagValues, type CommandSpec, type FlagValues, GLOBAL_OPTIONS, type OptionsSpec } from "./command.ts";

/** Parses a command's argv strictly; unknown flags and missing values become usage errors (exit 2). */
export function parseFlags<O extends OptionsSpec>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): { values: FlagValues<O>; positionals: string[] } {
  // parseArgs reads only type, short and multiple; the help fields ride along.
  const options = { ...GLOBAL_OPTIONS, ...spec.options } as O & typeof GLOBAL_OPTIONS;
  try {
    return parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw usageError(`${spec.name}: ${message.replace(/^Unknown option/, "unknown option")}`);
  }
}

/** A string flag's value, or undefined. */
export function str<V extends AnyFlagValues>(values: V, name: keyof V & string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** A numeric flag's value (finite; integer when `int`), or undefined; anything else is a usage error. */
export function num<V extends AnyFlagValues>(
  values: V,
  name: keyof V & string,
  options: { int?: boolean; min?: number } = {},
): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  const kind = options.int ? "an integer" : "a number";
  if (v.trim() === "" || !Number.isFinite(n) || (options.int && !Number.isInteger(n))) {
    throw usageError(`--${name} must be ${kind}, got "${v}"`);
  }
  if (options.min !== undefined && n < options.min) throw usageError(`--${name} must be >= ${options.min}, got ${n}`);
  return n;
}

/** A comma-separated list of integers ("128,128"), or undefined. */
export function intList<V extends AnyFlagValues>(values: V, name: keyof V & string): number[] | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const parts = v.split(/[,x]/).map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw usageError(`--${name} must be positive integers separated by commas, got "${v}"`);
  }
  return parts;
}

/** A string flag restricted to `choices`. */
export function choice<T extends string, V extends AnyFlagValues = AnyFlagValues>(
  values: V,
  name: keyof V & string,
  choices: readonly T[],
): T | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw usageError(`--${name} must be one of ${choices.join(", ")}, got "${v}"`);
  }
  return v as T;
}
