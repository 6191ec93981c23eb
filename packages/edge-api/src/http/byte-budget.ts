/** A count of bytes held across requests, refused past `capacity` (the request bodies buffered at once). */
export class ByteBudget {
  readonly capacity: number;
  #used = 0;

  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get used(): number {
    return this.#used;
  }

  /** Takes `n` bytes if they fit; false (nothing taken) if not. */
  take(n: number): boolean {
    if (this.#used + n > this.capacity) return false;
    this.#used += n;
    return true;
  }

  give(n: number): void {
    this.#used = Math.max(0, this.#used - n);
  }
}
