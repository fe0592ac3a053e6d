import { createLocalGradingSandbox, type GradingSandbox } from "@hubfed/grader";
import type { GradingHub, GradingSandboxFor } from "./grade";

/**
 * Which sandbox grades a hub's submissions: its runtime's. A local hub's are
 * graded on the worker's machine (the same machine its hub runs on), each as
 * its own unprivileged account without network; a Kubernetes hub's in a Job
 * in the hub's namespace, on the course's own image.
 */
export interface GradingSandboxSettings {
  /** Where the local sandbox makes each submission's fresh work directory. */
  workRoot: string;
  /** Submissions graded at once on this machine (the grading queue's concurrency). */
  localSlots: number;
  /** The Kubernetes sandbox for one hub; absent where no cluster is configured. */
  kubernetesSandboxFor?: (hub: GradingHub) => GradingSandbox;
  log?: (line: string) => void;
}

export function createGradingSandboxes(settings: GradingSandboxSettings): GradingSandboxFor {
  let local: GradingSandbox | undefined;
  return (hub) => {
    if (hub.runtime === "LOCAL") {
      local ??= createLocalGradingSandbox({
        workRoot: settings.workRoot,
        slots: settings.localSlots,
        log: settings.log,
      });
      return local;
    }
    if (!settings.kubernetesSandboxFor)
      throw new Error(`No Kubernetes grading sandbox is configured for hub ${hub.slug}`);
    return settings.kubernetesSandboxFor(hub);
  };
}
