export { type EmaScope, type EmaUpdateOptions, emaUpdate, type StateDict } from "./ema-update.ts";
export { isStatistic, STATISTIC_SUFFIXES } from "./is-statistic.ts";
