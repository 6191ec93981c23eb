/**
 * A Server-Timing header value (`name;dur=ms`, comma-separated, 0.01 ms resolution) from named durations in
 * milliseconds: lets a client split a request's latency into model time, the server's own work and the network.
 */
export function serverTiming(durations: Readonly<Record<string, number>>): string {
  return Object.entries(durations)
    .map(([name, ms]) => `${name};dur=${Math.round(ms * 100) / 100}`)
    .join(", ");
}
