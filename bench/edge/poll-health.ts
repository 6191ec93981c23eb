// A /healthz poller in its own process for bench/edge/load.ts, so the load generator's busy event loop is not
// counted as the server's latency: GETs argv[2] every 50 ms on one kept-alive connection, opened before the load
// starts (it prints "ready" once the first answer came); when stdin closes it prints the latencies (ms, -1 for a
// failure) as one JSON line and exits.
import { Agent, get } from "node:http";

const url = process.argv[2];
const ms: number[] = [];
// One kept-alive connection, as a load balancer's health check holds one.
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
let running = true;
process.stdin.resume();
process.stdin.on("end", () => {
  running = false;
});

const once = () =>
  new Promise<number>((resolve) => {
    const t = performance.now();
    const req = get(url, { agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode === 200 ? performance.now() - t : -1));
    });
    req.setTimeout(10_000, () => req.destroy());
    req.on("error", () => resolve(-1));
  });

await once(); // opens the connection; not counted
process.stdout.write("ready\n");
while (running) {
  ms.push(await once());
  await new Promise((r) => setTimeout(r, 50));
}
process.stdout.write(`${JSON.stringify(ms)}\n`);
