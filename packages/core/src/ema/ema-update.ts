import { ArgumentError, DtypeError } from "../errors/bcp-error.ts";
import { checkData, checkRange } from "../tensor/check.ts";
import type { NumArray } from "../tensor/types.ts";
import { isStatistic } from "./is-statistic.ts";

/** Named model state: float parameters and statistics, optional integer buffers (e.g. num_batches_tracked). */
export type StateDict = Readonly<Record<string, NumArray>>;

/** Which entries the teacher averages. */
export type EmaScope = "parameters" | "all";

export interface EmaUpdateOptions {
  /**
   * "parameters" (default; LA `update_ema_variables`): trainable parameters only, statistics are copied from the
   * teacher unchanged. "all" (ACDC `update_model_ema` over `state_dict()`): statistics too; integer buffers are
   * averaged in float32 then truncated toward zero, as `load_state_dict` does.
   */
  readonly scope?: EmaScope;
  /** Which keys are statistics: a predicate or a key list. Default: names ending in {@link STATISTIC_SUFFIXES}. */
  readonly statistics?: ((key: string) => boolean) | readonly string[];
  /** Write here instead of allocating (same keys, same array types and lengths); may be `teacher` itself. */
  readonly out?: Record<string, NumArray>;
}

const FN = "emaUpdate";

/**
 * EMA teacher update teacher' = decay * teacher + (1 - decay) * student over named state (decay = official α, 0.99).
 * Returns a fresh state (or `options.out`) with the teacher's keys and array types.
 */
export function emaUpdate(
  teacher: StateDict,
  student: StateDict,
  decay: number,
  options: EmaUpdateOptions = {},
): Record<string, NumArray> {
  const { scope = "parameters", statistics = isStatistic, out } = options;
  checkRange(FN, "decay", decay, 0, 1);
  if (scope !== "parameters" && scope !== "all") {
    throw new ArgumentError(FN, "options.scope", `must be "parameters" or "all", got ${String(scope)}`);
  }
  const isStat = typeof statistics === "function" ? statistics : keySet(statistics);
  const keys = sameKeys(teacher, student);
  if (out !== undefined) sameKeys(teacher, out, "options.out");

  // PyTorch evaluates alpha * ema + (1 - alpha) * student in float32: both scalars are rounded to float32, each
  // product is rounded, then the sum. A product of two float32 values is exact in a double, so rounding it with
  // fround reproduces the float32 product; the sum likewise. Float64 state is computed in double.
  const a32 = Math.fround(decay);
  const b32 = Math.fround(1 - decay);
  const result: Record<string, NumArray> = out ?? {};
  for (const key of keys) {
    const t = teacher[key];
    const s = student[key];
    checkData(FN, `teacher["${key}"]`, t, [t?.length ?? 0]);
    checkData(FN, `student["${key}"]`, s, [t.length]);
    const averaged = scope === "all" || !isStat(key);
    const target = out === undefined ? newLike(t) : checkOut(out, key, t);
    if (!averaged) {
      if (target !== t) target.set(t);
    } else if (t instanceof Float64Array) {
      for (let i = 0; i < t.length; i++) target[i] = decay * t[i] + (1 - decay) * s[i];
    } else if (t instanceof Float32Array) {
      for (let i = 0; i < t.length; i++) target[i] = Math.fround(a32 * t[i]) + Math.fround(b32 * s[i]);
    } else {
      for (let i = 0; i < t.length; i++) {
        target[i] = Math.trunc(Math.fround(Math.fround(a32 * t[i]) + Math.fround(b32 * s[i])));
      }
    }
    result[key] = target;
  }
  return result;
}

function keySet(list: readonly string[]): (key: string) => boolean {
  if (!Array.isArray(list) || list.some((k) => typeof k !== "string")) {
    throw new ArgumentError(FN, "options.statistics", "must be a predicate or a list of key names");
  }
  const set = new Set(list);
  return (key) => set.has(key);
}

function sameKeys(teacher: StateDict, other: StateDict, arg = "student"): string[] {
  if (typeof teacher !== "object" || teacher === null) throw new ArgumentError(FN, "teacher", "must be a state map");
  if (typeof other !== "object" || other === null) throw new ArgumentError(FN, arg, "must be a state map");
  const keys = Object.keys(teacher);
  const missing = keys.filter((k) => !Object.hasOwn(other, k));
  const extra = Object.keys(other).filter((k) => !Object.hasOwn(teacher, k));
  if (missing.length > 0 || extra.length > 0) {
    throw new ArgumentError(FN, arg, `must have the teacher's keys (missing: [${missing}], extra: [${extra}])`);
  }
  return keys;
}

function newLike(t: NumArray): NumArray {
  return new (t.constructor as new (n: number) => NumArray)(t.length);
}

function checkOut(out: Record<string, NumArray>, key: string, t: NumArray): NumArray {
  const o = out[key];
  checkData(FN, `options.out["${key}"]`, o, [t.length]);
  if (o.constructor !== t.constructor) {
    throw new DtypeError(FN, `options.out["${key}"]`, `must be a ${t.constructor.name}, got ${o.constructor.name}`);
  }
  return o;
}
