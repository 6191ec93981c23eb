import type { CliIo } from "./command.ts";

/** The process's streams, cwd and environment, with SIGINT/SIGTERM turned into an abort signal. */
export function nodeIo(): { io: CliIo; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (sig: NodeJS.Signals) => {
    // The first signal asks for a clean stop; with the handlers gone, a second one ends the process at once.
    off();
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  const off = () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    io: {
      stdout: process.stdout,
      stderr: process.stderr,
      cwd: process.cwd(),
      env: process.env,
      signal: controller.signal,
    },
    dispose: off,
  };
}
