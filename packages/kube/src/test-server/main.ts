import { parseArgs } from "node:util";
import { startKubernetesTestServer } from "./server";

/**
 * Runs the Kubernetes API test server for the demo, with the simulated
 * controller on so provisioning shows progress:
 *   npx tsx packages/kube/src/test-server/main.ts --port 6443
 * (--port 0 picks a free port; the first line printed names the URL).
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "6443" },
    host: { type: "string", default: "127.0.0.1" },
    "controller-delay-ms": { type: "string", default: "1500" },
    "no-controller": { type: "boolean", default: false },
  },
});

const server = await startKubernetesTestServer({
  port: Number(values.port),
  host: values.host,
  controller: {
    isEnabled: !values["no-controller"],
    delayMs: Number(values["controller-delay-ms"]),
  },
});
console.log(`Kubernetes API test server listening on ${server.url}`);
console.log("kubeconfig:");
console.log(server.kubeconfig);

// Started by a parent with an IPC channel (the reconcile benchmark runs the
// server in its own process so it does not share the client's event loop):
// the counters are read and reset over that channel.
const channel = process.send?.bind(process);
if (channel) {
  process.on("message", (message: unknown) => {
    if (message === "counters")
      channel({ counters: { ...server.counters }, writes: server.countWrites() });
    else if (message === "reset-counters") {
      server.resetCounters();
      channel({ isReset: true });
    }
  });
  channel({ url: server.url });
}

const shutDown = () => {
  void server.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutDown);
process.once("SIGTERM", shutDown);
