import { ArgumentError } from "@bcpseg/core";
import { LruCache } from "./lru-cache.ts";
import type { Sample } from "./sample.ts";

/**
 * Wraps a sample reader with an LRU cache of promises (concurrent reads of one index share a read;
 * failed reads are not kept) and checks the index.
 */
export function cachedLoader(
  name: string,
  count: number,
  read: (index: number) => Promise<Sample>,
  capacity: number,
): (index: number) => Promise<Sample> {
  const cache = new LruCache<number, Promise<Sample>>(capacity);
  return (index) => {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      return Promise.reject(
        new ArgumentError(`${name}.get`, "index", `must be an integer in [0, ${count}), got ${index}`),
      );
    }
    const hit = cache.get(index);
    if (hit) return hit;
    const p = read(index);
    cache.set(index, p);
    p.catch(() => cache.delete(index));
    return p;
  };
}
