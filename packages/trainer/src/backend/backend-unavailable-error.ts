import { BcpError } from "@bcpseg/core";

/** A tfjs backend that cannot be used here (package not installed, native binding failed to load, wasm failed to start). */
export class BackendUnavailableError extends BcpError<"ERR_BACKEND_UNAVAILABLE"> {
  /** The backend asked for, e.g. "tensorflow". */
  readonly backend: string;

  constructor(backend: string, message: string, options: { cause?: unknown } = {}) {
    super("ERR_BACKEND_UNAVAILABLE", message, { kind: "unavailable", fn: "selectBackend", arg: "name", ...options });
    this.name = "BackendUnavailableError";
    this.backend = backend;
  }
}
