import { HttpError } from "./http-error.ts";

/** What one job asks of the queue: its cost (model voxels) and the Date.now() it must have started by. */
export interface JobOptions {
  readonly cost?: number;
  readonly deadline?: number;
}

interface Waiter {
  readonly cost: number;
  start(): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * A bounded concurrency queue: at most `concurrency` jobs run; at most `queue` wait, holding at most
 * `queueCost` of cost in all. One more is refused at once with 503 ERR_BUSY and Retry-After, and a job still
 * waiting at its deadline leaves the queue with 503 ERR_TIMEOUT, so overload sheds requests instead of
 * piling them up.
 */
export class Limiter {
  readonly concurrency: number;
  readonly queueSize: number;
  readonly queueCost: number;
  readonly retryAfterSeconds: number;
  #running = 0;
  #waitingCost = 0;
  readonly #waiting: Waiter[] = [];

  constructor(options: { concurrency: number; queue: number; queueCost?: number; retryAfterSeconds?: number }) {
    this.concurrency = options.concurrency;
    this.queueSize = options.queue;
    this.queueCost = options.queueCost ?? Number.POSITIVE_INFINITY;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Cost of the jobs waiting now. */
  get waitingCost(): number {
    return this.#waitingCost;
  }

  /** Throws ERR_BUSY now if a job of `cost` would be refused: lets a request be shed before its body is read. */
  checkRoom(cost = 0): void {
    if (this.#running < this.concurrency) return;
    if (this.#waiting.length >= this.queueSize || this.#waitingCost + cost > this.queueCost) throw this.#busy();
  }

  /** Runs `job` when a slot is free; throws ERR_BUSY at once when the queue is full, ERR_TIMEOUT at the deadline. */
  async run<T>(job: () => Promise<T>, options: JobOptions = {}): Promise<T> {
    const cost = options.cost ?? 0;
    if (this.#running >= this.concurrency) {
      this.checkRoom(cost);
      await this.#wait(cost, options.deadline);
    } else {
      this.#running++;
    }
    try {
      return await job();
    } finally {
      const next = this.#waiting.shift();
      if (next) {
        this.#waitingCost -= next.cost;
        next.start(); // the slot passes straight to the next job
      } else this.#running--;
    }
  }

  #busy(): HttpError {
    return new HttpError(503, "ERR_BUSY", "the server is at capacity, retry later", {
      headers: { "retry-after": String(this.retryAfterSeconds) },
      details: { running: this.#running, queued: this.#waiting.length },
    });
  }

  #wait(cost: number, deadline: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        cost,
        start: () => {
          clearTimeout(w.timer);
          resolve();
        },
      };
      if (deadline !== undefined && Number.isFinite(deadline)) {
        w.timer = setTimeout(
          () => {
            const at = this.#waiting.indexOf(w);
            if (at < 0) return;
            this.#waiting.splice(at, 1);
            this.#waitingCost -= cost;
            reject(
              new HttpError(503, "ERR_TIMEOUT", "the request waited in the queue past the time limit", {
                headers: { "retry-after": String(this.retryAfterSeconds) },
              }),
            );
          },
          Math.max(0, deadline - Date.now()),
        );
      }
      this.#waiting.push(w);
      this.#waitingCost += cost;
    });
  }
}
