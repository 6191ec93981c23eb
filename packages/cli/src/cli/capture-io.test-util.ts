import type { CliIo } from "./command.ts";

/** A CliIo that records what commands write (for tests). */
export function captureIo(cwd = process.cwd()): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    cwd,
    env: {},
    out: () => out,
    err: () => err,
  };
}
