/** Process exit codes of `bcpseg` (documented in the README). */
export const EXIT = {
  /** Success. */
  ok: 0,
  /** A runtime failure: training diverged, a write failed, an unexpected error. */
  failure: 1,
  /** Bad usage or configuration: unknown flag, missing argument, invalid config file. */
  usage: 2,
  /** Bad input data: a missing, unreadable or inconsistent data or model file. */
  input: 3,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
