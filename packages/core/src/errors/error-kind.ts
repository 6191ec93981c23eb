/**
 * What a failure is, whoever raised it; the CLI derives its exit code and the edge API its HTTP status from it.
 * - input: the data given is wrong (shape, range, a missing or inconsistent file);
 * - usage: the caller asked wrongly (bad flag, option or argument value);
 * - integrity: bytes that do not parse or validate (corrupt file, invalid model contract);
 * - unavailable: something needed is not there right now (a backend, a port, the disk, capacity);
 * - internal: everything else, a bug or an unexpected failure.
 */
export type ErrorKind = "input" | "usage" | "integrity" | "unavailable" | "internal";

/** Every {@link ErrorKind}, for validation and exhaustive tables. */
export const ERROR_KINDS: readonly ErrorKind[] = ["input", "usage", "integrity", "unavailable", "internal"];
