// A Node edge server in a child process for the hostile-input suite: started with the JSON options in argv[2]
// (limits, server, auth), it reports { port } over IPC, answers { rss } on request and forwards its log.
import { startNode } from "../src/runtimes/node.ts";
import { MODELS } from "./helpers.ts";

const options = JSON.parse(process.argv[2] ?? "{}");
const send = (m: unknown) => process.send?.(m);
const server = await startNode({
  ...options,
  port: 0,
  hostname: "127.0.0.1",
  modelPaths: [MODELS.unet2d, MODELS.vnet3d].map((m) => new URL(`./fixtures/${m}`, import.meta.url).pathname),
  logger: (entry) => send({ log: entry }),
});
process.on("message", (m: { rss?: boolean; stop?: boolean }) => {
  if (m.rss) send({ rss: process.memoryUsage().rss });
  if (m.stop) void server.close().then(() => process.disconnect());
});
send({ port: server.port });
