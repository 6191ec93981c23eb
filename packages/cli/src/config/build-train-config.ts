import { dirname, resolve } from "node:path";
import { issuesLine, isZodError, zodIssues } from "@bcpseg/core";
import type { DeepPartial, PresetName, TrainConfig, TrainConfigInput } from "@bcpseg/trainer";
import { configError } from "../errors/cli-error.ts";

/** The training library functions the config builder needs (injected so tests stay light). */
export interface ConfigLib {
  preset(name: PresetName, overrides?: DeepPartial<TrainConfigInput>): TrainConfig;
  deepMerge<T>(base: T, over: unknown): T;
}

/** Where a run's configuration comes from, lowest precedence first: preset < file < flags. */
export interface ConfigSources {
  /** Built-in preset (default "synth2d", or the file's `preset` key). */
  readonly preset?: string;
  /** Parsed config file and its path (relative paths inside resolve against its folder). */
  readonly file?: { readonly path: string; readonly doc: Record<string, unknown> };
  /** Overrides from flags (relative paths resolve against `cwd`). */
  readonly flags?: Record<string, unknown>;
  readonly cwd: string;
}

export const PRESETS: readonly PresetName[] = ["synth2d", "synth3d", "acdc", "la"];

/**
 * Merges preset, config file and flag overrides in depth (arrays replace) and validates the result with the
 * trainer's TrainConfigSchema; every problem becomes one ERR_CONFIG line (exit 2) with dot paths.
 */
export function buildTrainConfig(lib: ConfigLib, sources: ConfigSources): TrainConfig {
  const fileDoc = { ...(sources.file?.doc ?? {}) };
  const filePreset = fileDoc.preset;
  delete fileDoc.preset;
  const name = sources.preset ?? (typeof filePreset === "string" ? filePreset : "synth2d");
  if (!(PRESETS as readonly string[]).includes(name)) {
    throw configError(`preset must be one of ${PRESETS.join(", ")}, got "${name}"`);
  }
  const fromFile = sources.file ? resolvePaths(fileDoc, dirname(resolve(sources.cwd, sources.file.path))) : {};
  const fromFlags = resolvePaths(sources.flags ?? {}, sources.cwd);
  const merged = lib.deepMerge(fromFile, fromFlags) as Record<string, unknown>;
  // A split given one way replaces the preset's split given the other way (an explicit undefined deletes).
  const data = merged.data as Record<string, unknown> | undefined;
  if (data && "labeledPatients" in data && !("labeledFraction" in data))
    merged.data = { ...data, labeledFraction: undefined };
  if (data && "labeledFraction" in data && !("labeledPatients" in data))
    merged.data = { ...data, labeledPatients: undefined };
  try {
    const config = lib.preset(name as PresetName, merged as DeepPartial<TrainConfigInput>);
    return { ...config, outDir: resolve(sources.cwd, config.outDir) };
  } catch (e) {
    if (isZodError(e)) {
      const issues = zodIssues(e);
      const where = sources.file ? ` (${sources.file.path} + flags)` : "";
      throw configError(`invalid training config${where}: ${issuesLine(issues, 4)}`, issues);
    }
    throw e;
  }
}

// data.root, data.valRoot and outDir: relative paths resolve against `base`.
function resolvePaths(doc: Record<string, unknown>, base: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  if (typeof out.outDir === "string") out.outDir = resolve(base, out.outDir);
  if (out.data && typeof out.data === "object" && !Array.isArray(out.data)) {
    const data: Record<string, unknown> = { ...(out.data as Record<string, unknown>) };
    for (const key of ["root", "valRoot"]) {
      const path = data[key];
      if (typeof path === "string") data[key] = resolve(base, path);
    }
    out.data = data;
  }
  return out;
}
