import { HttpError } from "./http-error.ts";

/**
 * A bounded concurrency queue: at most `concurrency` jobs run, at most `queue` wait; one more is refused
 * with 503 ERR_BUSY and Retry-After, so overload sheds requests instead of piling them up.
 */
export class Limiter {
  readonly concurrency: number;
  readonly queueSize: number;
  readonly retryAfterSeconds: number;
  #running = 0;
  readonly #waiting: Array<() => void> = [];

  constructor(options: { concurrency: number; queue: number; retryAfterSeconds?: number }) {
    this.concurrency = options.concurrency;
    this.queueSize = options.queue;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `job` when a slot is free; throws ERR_BUSY at once when the queue is full. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running >= this.concurrency) {
      if (this.#waiting.length >= this.queueSize) {
        throw new HttpError(503, "ERR_BUSY", "the server is at capacity, retry later", {
          headers: { "retry-after": String(this.retryAfterSeconds) },
          details: { running: this.#running, queued: this.#waiting.length },
        });
      }
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next)
        next(); // the slot passes straight to the next job
      else this.#running--;
    }
  }
}
