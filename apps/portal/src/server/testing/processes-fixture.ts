// A stand-in for apps/portal/server.ts in processes.int.test.ts: runPortalProcesses with a small
// HTTP server per worker, counting requests in a prom-client registry as the portal's histogram
// does, and answering /metrics through the same cluster source the portal uses.
import { createServer } from "node:http";
import { Counter, Registry } from "prom-client";
import { answerMetricsRequest, clusterMetricsSource, createLogger } from "@hubfed/observability";
import { runPortalProcesses } from "../processes";

const port = Number(process.env.PORT);

await runPortalProcesses({
  processes: Number(process.env.HUBFED_PORTAL_PROCESSES ?? 2),
  log: createLogger({ component: "processes-fixture", level: "warn" }),
  crashWindowMs: Number(process.env.CRASH_WINDOW_MS ?? 60_000),
  maxCrashes: Number(process.env.MAX_CRASHES ?? 5),
  serve: async () => {
    const registry = new Registry();
    const requests = new Counter({
      name: "fixture_requests_total",
      help: "requests to /pid",
      registers: [registry],
    });
    const metrics = clusterMetricsSource(registry);
    const server = createServer((request, response) => {
      if (request.url === "/pid") {
        requests.inc();
        response.end(String(process.pid));
      } else if (request.url === "/node-flags") {
        response.end(process.execArgv.join(" "));
      } else if (request.url === "/crash") {
        response.end(String(process.pid), () => process.exit(3));
      } else
        answerMetricsRequest(request, response, metrics, {}).catch((error: unknown) => {
          response.statusCode = 500;
          response.end(String(error));
        });
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    process.on("SIGTERM", () => server.close(() => process.exit(0)));
  },
});
