import { createLocalGradingSandbox, type GradingSandbox } from "@hubfed/grader";
import { hubSpecSchema } from "@hubfed/hub-spec";
import { buildHubNamespaceName, createKubernetesGradingSandbox } from "@hubfed/kube";
import { connectionOf } from "../provisioning/runtimes/kubernetes";
import type { GradingSandboxFor } from "./grade";

/**
 * Which sandbox grades a hub's submissions: its runtime's. A local hub's are
 * graded on the worker's machine (the machine its hub runs on), each as its
 * own unprivileged account without network; a Kubernetes hub's in a Job in
 * the hub's namespace, on the course's own image, within the hub's quota.
 */
export interface GradingSandboxSettings {
  /** Where the local sandbox makes each submission's fresh work directory (not under /tmp). */
  workRoot: string;
  /** Submissions graded at once on this machine (the grading queue's concurrency). */
  localSlots: number;
  log?: (line: string) => void;
}

export function createGradingSandboxes(settings: GradingSandboxSettings): GradingSandboxFor {
  let local: GradingSandbox | undefined;
  // One per hub and spec: the connection and the Job's image and resources come from them.
  const kubernetes = new Map<string, GradingSandbox>();
  return (hub) => {
    if (hub.runtime === "LOCAL") {
      local ??= createLocalGradingSandbox({
        workRoot: settings.workRoot,
        slots: settings.localSlots,
        log: settings.log,
      });
      return local;
    }
    const spec = hubSpecSchema.parse(hub.spec);
    const key = `${hub.slug}:${hub.cluster.id}:${spec.image}:${spec.cpuLimitMilli}:${spec.memoryLimitMib}`;
    let sandbox = kubernetes.get(key);
    if (!sandbox) {
      sandbox = createKubernetesGradingSandbox({
        cluster: connectionOf(hub.cluster),
        namespace: buildHubNamespaceName(hub.slug),
        image: spec.image,
        resources: { cpuMilli: spec.cpuLimitMilli, memoryMib: spec.memoryLimitMib },
        log: settings.log,
      });
      kubernetes.set(key, sandbox);
    }
    return sandbox;
  };
}
