/** One structured log line. */
export interface LogEntry {
  readonly level: "info" | "warn" | "error";
  readonly msg: string;
  readonly [key: string]: unknown;
}

/** Where log lines go; inject one to collect them (tests) or forward them (a log service). */
export type Logger = (entry: LogEntry) => void;

/** Writes each entry as one JSON line on the console (stdout for info, stderr otherwise). */
export const jsonLogger: Logger = (entry) => {
  const line = JSON.stringify({ time: new Date().toISOString(), ...entry });
  if (entry.level === "info") console.log(line);
  else console.error(line);
};

/** Drops every entry. */
export const silentLogger: Logger = () => {};
