/**
 * A tfjs backend that cannot be used here (package not installed, native binding failed to load, wasm failed to
 * start). Shaped like core's BcpError (`code`, `fn`, `arg`) so `isBcpError` and the CLI's error handler accept it.
 */
export class BackendUnavailableError extends Error {
  readonly code = "ERR_BACKEND_UNAVAILABLE";
  readonly fn = "selectBackend";
  readonly arg = "name";
  /** The backend asked for, e.g. "tensorflow". */
  readonly backend: string;

  constructor(backend: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "BackendUnavailableError";
    this.backend = backend;
  }
}
