/** Step schedule of a stage: lr at 1-based iteration i of the stage. */
export interface LrSchedule {
  readonly lr: number;
  /** Decay every `step` iterations (0 = constant). */
  readonly step: number;
  readonly gamma: number;
}

/**
 * The official LA self-train rule "after iteration i, if i % step == 0: lr = base·γ^(i // step)": iteration i
 * (1-based) runs with base·γ^floor((i − 1)/step); a constant schedule (ACDC, every pre-train) when step = 0.
 */
export function lrAt(schedule: LrSchedule, iteration: number): number {
  if (schedule.step <= 0) return schedule.lr;
  return schedule.lr * schedule.gamma ** Math.floor((iteration - 1) / schedule.step);
}
