import type { HubStatus } from "@hubfed/db";

export type HubStatusTone = "green" | "amber" | "blue" | "red" | "slate";

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
    label: "Paused",
    explanation: "The hub is paused. Ask your course staff when it will be back.",
    tone: "slate",
  },
  FAILED: {
    label: "Unavailable",
    explanation: "The hub could not be started; the federation operators have been told.",
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

export function describeHubStatus(status: HubStatus): HubStatusDescription {
  return descriptions[status];
}
