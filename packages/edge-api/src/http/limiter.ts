import { HttpError, stacklessHttpError } from "./http-error.ts";

/** What one job asks of the queue: its cost (model voxels), the kind of work it is, the Date.now() it is due by. */
export interface JobOptions {
  readonly cost?: number;
  /** Jobs of one key (one model) share a measured service rate; default "". */
  readonly key?: string;
  readonly deadline?: number;
}

interface Job {
  readonly cost: number;
  readonly key: string;
}

interface Waiter extends Job {
  start(): void;
  timer?: ReturnType<typeof setTimeout>;
}

interface Running extends Job {
  readonly since: number;
}

/** Weight of the newest job in the moving average of service time per unit of cost. */
const EWMA = 0.2;

/**
 * A bounded concurrency queue: at most `concurrency` jobs run; at most `queue` wait, holding at most `queueCost`
 * of cost in all. It measures each key's service time per unit of cost (a moving average over finished jobs),
 * so it knows how long the work already queued will take: a job that could not finish by its deadline behind
 * it is refused at once, like one that does not fit, with 503 ERR_BUSY and a Retry-After of that expected wait.
 * A job still waiting at its deadline leaves with 503 ERR_TIMEOUT. Overload sheds instead of piling up.
 */
export class Limiter {
  readonly concurrency: number;
  readonly queueSize: number;
  readonly queueCost: number;
  /** The least Retry-After of a refusal, in seconds (also the one given before any job was measured). */
  readonly retryAfterSeconds: number;
  readonly #running = new Set<Running>();
  /** Slots taken: a finished job hands its slot straight to the next waiter, which may not have started yet. */
  #taken = 0;
  #waitingCost = 0;
  readonly #waiting: Waiter[] = [];
  /** ms of service per unit of cost, by key; "" holds the rate over all keys. */
  readonly #rates = new Map<string, number>();

  constructor(options: { concurrency: number; queue: number; queueCost?: number; retryAfterSeconds?: number }) {
    this.concurrency = options.concurrency;
    this.queueSize = options.queue;
    this.queueCost = options.queueCost ?? Number.POSITIVE_INFINITY;
    this.retryAfterSeconds = options.retryAfterSeconds ?? 1;
  }

  get running(): number {
    return this.#taken;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Cost of the jobs waiting now. */
  get waitingCost(): number {
    return this.#waitingCost;
  }

  /** Measured ms a job of `cost` takes once running (its key's rate, else the overall one); undefined before any. */
  serviceMs(cost: number, key = ""): number | undefined {
    const rate = this.#rates.get(key) ?? this.#rates.get("");
    return rate === undefined ? undefined : rate * Math.max(1, cost);
  }

  /**
   * ms until a job queued now would start, by the measured service times: what the running jobs still have
   * to do plus the queued jobs, over the slots. 0 while a slot is free or before anything was measured.
   */
  expectedWaitMs(now = performance.now()): number {
    if (this.#taken < this.concurrency && this.#waiting.length === 0) return 0;
    let ms = 0;
    for (const r of this.#running) ms += Math.max(0, (this.serviceMs(r.cost, r.key) ?? 0) - (now - r.since));
    for (const w of this.#waiting) ms += this.serviceMs(w.cost, w.key) ?? 0;
    return ms / this.concurrency;
  }

  /**
   * Throws ERR_BUSY now if a job of `cost` would be refused: the queue is full, or the job could not be done by
   * `deadline` behind the queued work. Lets a request be shed before its body is read.
   */
  checkRoom(cost = 0, options: { key?: string; deadline?: number } = {}): void {
    if (this.#taken < this.concurrency) return;
    const wait = this.expectedWaitMs();
    if (this.#waiting.length >= this.queueSize || this.#waitingCost + cost > this.queueCost) throw this.#busy(wait);
    const { deadline } = options;
    if (deadline === undefined || !Number.isFinite(deadline)) return;
    const own = this.serviceMs(cost, options.key) ?? 0;
    if (Date.now() + wait + own > deadline) throw this.#busy(wait, own);
  }

  /** Runs `job` when a slot is free; throws ERR_BUSY at once when it is refused, ERR_TIMEOUT at the deadline. */
  async run<T>(job: () => Promise<T>, options: JobOptions = {}): Promise<T> {
    const cost = options.cost ?? 0;
    const key = options.key ?? "";
    if (this.#taken >= this.concurrency) {
      this.checkRoom(cost, options);
      await this.#wait({ cost, key }, options.deadline);
    } else this.#taken++;
    const self: Running = { cost, key, since: performance.now() };
    this.#running.add(self);
    let served = false;
    try {
      const r = await job();
      served = true;
      return r;
    } catch (e) {
      // A job stopped at its deadline took at least as long as it ran: that too is a (low) service time.
      served = e instanceof HttpError && e.code === "ERR_TIMEOUT";
      throw e;
    } finally {
      this.#running.delete(self);
      if (served) this.#measure(self, performance.now() - self.since);
      const next = this.#waiting.shift();
      if (next) {
        this.#waitingCost -= next.cost;
        next.start(); // the slot passes straight to the next job
      } else this.#taken--;
    }
  }

  /**
   * Folds a finished job's time into its key's rate and the overall one (jobs refused for their input say nothing
   * of service).
   */
  #measure(job: Job, ms: number): void {
    const rate = ms / Math.max(1, job.cost);
    for (const k of new Set([job.key, ""])) {
      const old = this.#rates.get(k);
      this.#rates.set(k, old === undefined ? rate : old + EWMA * (rate - old));
    }
  }

  #retryAfter(waitMs: number): string {
    return String(Math.max(this.retryAfterSeconds, Math.ceil(waitMs / 1000)));
  }

  #busy(exactWaitMs: number, ownMs?: number): HttpError {
    const late = ownMs !== undefined;
    const waitMs = Math.round(exactWaitMs); // one value for the header and the details
    return stacklessHttpError(
      503,
      "ERR_BUSY",
      late
        ? "the server is at capacity: the queued work would outlast this request's time limit, retry later"
        : "the server is at capacity, retry later",
      {
        headers: { "retry-after": this.#retryAfter(waitMs) },
        details: {
          running: this.#taken,
          queued: this.#waiting.length,
          expectedWaitMs: waitMs,
          ...(late ? { serviceMs: Math.round(ownMs) } : {}),
        },
      },
    );
  }

  #wait(job: Job, deadline: number | undefined): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = {
        ...job,
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
            this.#waitingCost -= job.cost;
            reject(
              stacklessHttpError(503, "ERR_TIMEOUT", "the request waited in the queue past the time limit", {
                headers: { "retry-after": this.#retryAfter(this.expectedWaitMs()) },
              }),
            );
          },
          Math.max(0, deadline - Date.now()),
        );
      }
      this.#waiting.push(w);
      this.#waitingCost += job.cost;
    });
  }
}
