import { parseArgs } from "node:util";
import { usageError } from "../errors/cli-error.ts";
import { type CommandSpec, type FlagValues, GLOBAL_OPTIONS } from "./command.ts";

/** Parses a command's argv strictly; unknown flags and missing values become usage errors (exit 2). */
export function parseFlags(spec: CommandSpec, argv: readonly string[]): { values: FlagValues; positionals: string[] } {
  const all = { ...GLOBAL_OPTIONS, ...spec.options };
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(all)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as FlagValues, positionals };
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw usageError(`${spec.name}: ${message.replace(/^Unknown option/, "unknown option")}`);
  }
}

/** A string flag's value, or undefined. */
export function str(values: FlagValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === "string" ? v : undefined;
}

/** A numeric flag's value (finite; integer when `int`), or undefined; anything else is a usage error. */
export function num(
  values: FlagValues,
  name: string,
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
export function intList(values: FlagValues, name: string): number[] | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const parts = v.split(/[,x]/).map((s) => Number(s.trim()));
  if (parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw usageError(`--${name} must be positive integers separated by commas, got "${v}"`);
  }
  return parts;
}

/** A string flag restricted to `choices`. */
export function choice<T extends string>(values: FlagValues, name: string, choices: readonly T[]): T | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  if (!(choices as readonly string[]).includes(v)) {
    throw usageError(`--${name} must be one of ${choices.join(", ")}, got "${v}"`);
  }
  return v as T;
}
