/** Where the bar writes: a TTY gets an in-place bar, anything else plain lines. */
export interface ProgressSink {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Numbers shown after the counter, e.g. { loss: 0.41 }. */
export type ProgressFields = Readonly<Record<string, number | string>>;

/**
 * A progress bar with iteration rate and ETA. On a TTY it redraws one line (at most ~10 times a second);
 * otherwise `update` prints a plain line each time it is called (callers call it every log interval).
 */
export class ProgressBar {
  readonly #sink: ProgressSink;
  readonly #label: string;
  readonly #total: number;
  readonly #start: number;
  readonly #first: number;
  #lastDraw = 0;
  #drawn = false;

  constructor(sink: ProgressSink, label: string, total: number, start = 0) {
    this.#sink = sink;
    this.#label = label;
    this.#total = total;
    this.#first = start;
    this.#start = performance.now();
  }

  /** Reports that `done` of `total` iterations are complete. */
  update(done: number, fields: ProgressFields = {}, force = false): void {
    const now = performance.now();
    if (this.#sink.isTTY && !force && now - this.#lastDraw < 100 && done < this.#total) return;
    this.#lastDraw = now;
    const line = this.render(done, fields, now);
    if (this.#sink.isTTY) {
      this.#sink.write(`\r${line.slice(0, Math.max(20, (this.#sink.columns ?? 100) - 1))}\x1b[K`);
      this.#drawn = true;
    } else {
      this.#sink.write(`${line}\n`);
    }
  }

  /** Prints a message on its own line without breaking the bar. */
  note(message: string): void {
    this.#sink.write(this.#sink.isTTY && this.#drawn ? `\r\x1b[K${message}\n` : `${message}\n`);
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.#sink.isTTY && this.#drawn) this.#sink.write("\n");
    this.#drawn = false;
  }

  /** The text of one update (no control characters). */
  render(done: number, fields: ProgressFields, now = performance.now()): string {
    const seconds = (now - this.#start) / 1000;
    const rate = seconds > 0 ? (done - this.#first) / seconds : 0;
    const left = this.#total - done;
    const eta = rate > 0 ? formatDuration(left / rate) : "?";
    const frac = this.#total > 0 ? Math.min(1, done / this.#total) : 1;
    const width = 20;
    const filled = Math.round(frac * width);
    const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
    const extra = Object.entries(fields)
      .map(([k, v]) => `${k} ${typeof v === "number" ? formatNumber(v) : v}`)
      .join(" ");
    return `${this.#label} ${bar} ${done}/${this.#total} ${extra}${extra ? " " : ""}${rate.toFixed(2)} it/s ETA ${eta}`;
  }
}

/** 75 → "1m15s", 3700 → "1h01m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(v) : v.toPrecision(4);
}
