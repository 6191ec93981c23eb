import type { AnyFlagValues, OptionsSpec } from "../cli/command.ts";
import { intList, num, str } from "../cli/parse-flags.ts";
import { schemaFlags } from "./schema-flags.ts";
import { setPath } from "./set-path.ts";

// The flags of config fields come from the training config schema's metadata (its help text included).
const FIELD_FLAGS = schemaFlags();

const FILE_OPTIONS = {
  config: {
    type: "string",
    short: "c",
    placeholder: "file",
    description: "Config file (JSON or YAML); flags override it",
  },
  preset: {
    type: "string",
    placeholder: "name",
    description: "Base preset: synth2d, synth3d, acdc, la",
    defaultText: "synth2d",
  },
} as const satisfies OptionsSpec;

const SET_OPTION = {
  set: {
    type: "string",
    multiple: true,
    placeholder: "key=value",
    description: "Set any config field by dot path (repeatable)",
  },
} as const satisfies OptionsSpec;

/** The flags of `bcpseg train` that build its config: the file, the preset, every flagged field, `--set`. */
export const TRAIN_CONFIG_OPTIONS: typeof FILE_OPTIONS & typeof SET_OPTION & OptionsSpec = {
  ...FILE_OPTIONS,
  ...Object.fromEntries(FIELD_FLAGS.map((f) => [f.name, f.option])),
  ...SET_OPTION,
};

/** The config overrides the flags ask for (paths as given; the builder resolves them). */
export function trainFlagOverrides(
  values: AnyFlagValues,
  deepMerge: <T>(a: T, b: unknown) => T,
): Record<string, unknown> {
  let o: Record<string, unknown> = {};
  const put = (patch: Record<string, unknown>) => {
    o = deepMerge(o, patch);
  };
  for (const { name, paths, node } of FIELD_FLAGS) {
    const raw = str(values, name);
    if (raw === undefined) continue;
    const auto = node.anyOf?.some((n) => n.const === "auto") && raw === "auto";
    const field = node.anyOf?.find((n) => n.const === undefined) ?? node;
    let value: unknown = raw;
    if (auto) value = "auto";
    else if (field.type === "integer") value = num(values, name, { int: true, min: field.minimum });
    else if (field.type === "number") value = num(values, name);
    else if (field.type === "array") value = intList(values, name);
    for (const path of paths) put(nest(path, value));
  }
  const sets = values.set;
  if (Array.isArray(sets)) for (const s of sets) put(setPath(String(s)));
  return o;
}

// { a: { b: value } } for the path ["a", "b"].
const nest = (path: readonly string[], value: unknown): Record<string, unknown> =>
  path.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), value as never);
