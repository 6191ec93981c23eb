import { BcpError } from "../errors/bcp-error.ts";

/** A corrupt, truncated or unsupported file: one readable line saying what is wrong and where. */
export class FormatError extends BcpError<"ERR_FORMAT"> {
  constructor(fn: string, message: string, details?: unknown) {
    super("ERR_FORMAT", `${fn}: ${message}`, { fn, details });
    this.name = "FormatError";
  }
}
