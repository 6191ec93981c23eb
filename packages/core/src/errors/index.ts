export { ArgumentError, BcpError, type BcpErrorCode, DtypeError, isBcpError, ShapeError } from "./bcp-error.ts";
