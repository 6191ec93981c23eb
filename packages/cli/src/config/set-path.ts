import { parse as parseYaml } from "yaml";
import { usageError } from "../errors/cli-error.ts";

/** Parses `--set a.b.c=value` into { a: { b: { c: value } } }; the value is read as YAML (numbers, booleans, lists). */
export function setPath(assignment: string): Record<string, unknown> {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw usageError(`--set wants key.path=value, got "${assignment}"`);
  const keys = assignment.slice(0, eq).trim().split(".");
  if (keys.some((k) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(k))) {
    throw usageError(`--set: "${assignment.slice(0, eq)}" is not a dot path of names`);
  }
  let value: unknown;
  try {
    value = parseYaml(assignment.slice(eq + 1));
  } catch {
    value = assignment.slice(eq + 1);
  }
  let out: Record<string, unknown> = { [keys[keys.length - 1]]: value ?? null };
  for (let i = keys.length - 2; i >= 0; i--) out = { [keys[i]]: out };
  return out;
}
