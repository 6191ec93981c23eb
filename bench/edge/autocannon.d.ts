// The part of autocannon (no bundled types) that bench/edge uses.
declare module "autocannon" {
  interface Options {
    url: string;
    method?: string;
    body?: Buffer | string;
    headers?: Record<string, string>;
    connections?: number;
    duration?: number;
  }
  interface Result {
    requests: { total: number };
    errors: number;
    non2xx: number;
  }
  interface Instance {
    on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  }
  export default function autocannon(options: Options, done: (err: Error | null, result: Result) => void): Instance;
}
