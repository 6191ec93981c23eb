import type { ExitCode } from "../errors/exit-codes.ts";

/** A command result that also sets a non-zero exit code without being an error (e.g. `data inspect` with problems). */
export class CommandResult {
  readonly value: unknown;
  readonly exit: ExitCode;
  constructor(value: unknown, exit: ExitCode) {
    this.value = value;
    this.exit = exit;
  }
}
