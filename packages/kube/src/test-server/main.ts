import { parseArgs } from "node:util";
import { startKubernetesTestServer } from "./server";

/**
 * Runs the Kubernetes API test server for the demo, with the simulated
 * controller on so provisioning shows progress:
 *   npx tsx packages/kube/src/test-server/main.ts --port 6443
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

const shutDown = () => {
  void server.stop().then(() => process.exit(0));
};
process.once("SIGINT", shutDown);
process.once("SIGTERM", shutDown);
