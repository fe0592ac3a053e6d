import { createLocalGradingSandbox, type GradingSandbox } from "@hubfed/grader";
import { hubSpecSchema, type HubSpec } from "@hubfed/hub-spec";
import type { HubWithPlacement } from "../provisioning/runtime";
import type { GradingSandboxFor } from "./grade";

/**
 * Which sandbox grades a hub's submissions: its runtime's. A local hub's are
 * graded on the worker's machine (the machine its hub runs on), each as its
 * own unprivileged account without network; a Kubernetes hub's in a Job in
 * the hub's namespace, on the course's own image, within the hub's quota
 * (the Kubernetes runtime builds that sandbox over its cached connection).
 */
export interface GradingSandboxSettings {
  /** Where the local sandbox makes each submission's fresh work directory (not under /tmp). */
  workRoot: string;
  /** Submissions graded at once on this machine (the grading queue's concurrency). */
  localSlots: number;
  kubernetes: { gradingSandbox(hub: HubWithPlacement, spec: HubSpec): GradingSandbox };
  log?: (line: string) => void;
}

export function createGradingSandboxes(settings: GradingSandboxSettings): GradingSandboxFor {
  let local: GradingSandbox | undefined;
  return (hub) => {
    if (hub.cluster.runtime === "LOCAL") {
      local ??= createLocalGradingSandbox({
        workRoot: settings.workRoot,
        slots: settings.localSlots,
        log: settings.log,
      });
      return local;
    }
    return settings.kubernetes.gradingSandbox(hub, hubSpecSchema.parse(hub.spec));
  };
}
