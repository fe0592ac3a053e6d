import type { HubStatus } from "@hubfed/db";

/** The colour family a status is shown in; the portal maps each to its classes. */
export const hubStatusTones = ["green", "amber", "blue", "red", "slate"] as const;

export type HubStatusTone = (typeof hubStatusTones)[number];

export interface HubStatusDescription {
  /** A few words a student understands. */
  label: string;
  /** What it means for them right now. */
  explanation: string;
  tone: HubStatusTone;
}

const descriptions: Record<HubStatus, HubStatusDescription> = {
  READY: { label: "Ready", explanation: "Your hub is running.", tone: "green" },
  DEGRADED: {
    label: "Having problems",
    explanation: "The hub is running with problems; the course staff have been told.",
    tone: "amber",
  },
  UPDATING: {
    label: "Updating",
    explanation: "The hub is being updated and will be back shortly.",
    tone: "blue",
  },
  PENDING: {
    label: "Being set up",
    explanation: "The hub has been approved and is waiting to be set up.",
    tone: "blue",
  },
  PROVISIONING: {
    label: "Being set up",
    explanation: "The hub is being set up; this takes a few minutes.",
    tone: "blue",
  },
  SUSPENDED: {
    label: "Suspended",
    explanation:
      "The hub is suspended: it is stopped and nobody can sign in. Your files are kept. Ask your instructor when it will be back.",
    tone: "slate",
  },
  // The reason (a stack trace, a file path, a schema message) is for ops and
  // the course staff; a student learns that it is being fixed and by whom.
  FAILED: {
    label: "Being repaired",
    explanation: "Your course hub is being repaired; your instructor has been told.",
    tone: "red",
  },
  DECOMMISSIONING: {
    label: "Closing",
    explanation: "The course has ended and its hub is being closed.",
    tone: "slate",
  },
  ARCHIVED: {
    label: "Archived",
    explanation: "The course has ended and its hub is archived.",
    tone: "slate",
  },
};

/**
 * A hub on a simulated cluster (the demo's in-repo Kubernetes API) goes
 * through every status for real, but no JupyterHub answers at its address:
 * it says so rather than send anyone to a host that does not exist.
 */
const simulatedReady: HubStatusDescription = {
  label: "Simulated",
  explanation:
    "This hub runs on the demo's simulated Kubernetes cluster: the portal provisions and meters it, but no JupyterHub answers at its address. Hubs on the Portal VM are real.",
  tone: "slate",
};

export function describeHubStatus(
  status: HubStatus,
  { isSimulated = false }: { isSimulated?: boolean } = {},
): HubStatusDescription {
  return isSimulated && status === "READY" ? simulatedReady : descriptions[status];
}

/**
 * The same statuses as a course's instructors and TAs read them: what it
 * means for their class and what happens next. The technical reason stays
 * with ops (/ops/hubs/<slug>); staff are never shown stack traces or paths.
 */
const staffDescriptions: Record<HubStatus, HubStatusDescription> = {
  READY: { label: "Running", explanation: "Students can open the hub.", tone: "green" },
  DEGRADED: {
    label: "Having problems",
    explanation:
      "The hub is running but not answering reliably. The federation operators have been alerted and are looking into it; students may see errors meanwhile.",
    tone: "amber",
  },
  UPDATING: {
    label: "Updating",
    explanation: "A change is being applied; students are back on the hub within a few minutes.",
    tone: "blue",
  },
  PENDING: {
    label: "Waiting to be set up",
    explanation:
      "The request is approved and the hub is queued. Students can join the course already; the hub opens for them once it is ready.",
    tone: "blue",
  },
  PROVISIONING: {
    label: "Being set up",
    explanation:
      "This usually takes a few minutes. Students can join the course already; the hub opens for them once it is ready.",
    tone: "blue",
  },
  SUSPENDED: {
    label: "Suspended",
    explanation:
      "The hub is stopped: students' servers are stopped and nobody can sign in; their files are kept. It resumes when its allocation is topped up, or when whoever suspended it resumes it.",
    tone: "slate",
  },
  FAILED: {
    label: "Being repaired",
    explanation:
      "Setting up or updating the hub failed. The federation operators have the details and will retry; students are told the hub is being repaired. Nothing is needed from you.",
    tone: "red",
  },
  DECOMMISSIONING: {
    label: "Closing",
    explanation:
      "The course has ended: the hub is being stopped and students' home folders archived.",
    tone: "slate",
  },
  ARCHIVED: {
    label: "Archived",
    explanation: "The hub is closed; students' home folders are kept in the archive.",
    tone: "slate",
  },
};

export function describeHubStatusForStaff(status: HubStatus): HubStatusDescription {
  return staffDescriptions[status];
}
