// The capacity plan's vocabulary (SPEC §7, REFERENCE §4): what the planner
// reads and what it answers. One pure function, `planCapacity`
// (capacity/plan.ts), turns the inputs into the plan; the scheduled job
// applies it, the schedule pages chart it, and the autoscaling benchmark
// runs the same function as one of its policies.

/** A weekly class meeting in the course's time zone (1 = Monday … 7 = Sunday). */
export interface PlannedMeeting {
  label: string;
  dayOfWeek: number;
  /** Minutes after local midnight. */
  startMinute: number;
  durationMinutes: number;
}

/** An assignment release, deadline, exam or other date the calendar holds. */
export interface PlannedDate {
  kind: "EXAM" | "ASSIGNMENT_RELEASE" | "DEADLINE" | "OTHER";
  title: string;
  startsAt: Date;
  endsAt: Date | null;
}

/** Seats an instructor asked to hold for a span ("exam: 300 seats, 2 GiB each"); only approved ones are planned. */
export interface PlannedWindow {
  id: string;
  startsAt: Date;
  endsAt: Date;
  seats: number;
  memoryMibPerSeat: number;
  reason: string;
}

/** One hub's demand: who may arrive, when, and what each needs. */
export interface HubDemand {
  hubId: string;
  hubSlug: string;
  clusterId: string;
  /** The course's IANA time zone; meetings are wall-clock times in it (daylight saving included). */
  timeZone: string;
  /** The course's first and last day, YYYY-MM-DD, in its time zone. */
  startDate: string;
  endDate: string;
  enrollment: number;
  /** The most students at once the request stated ("usually everyone in a lab or lecture"). */
  expectedConcurrentUsers: number;
  memoryGuaranteeMib: number;
  /** Warm seats held at all times (the hub spec's `placeholderSeats`); the calendar raises it. */
  baselineSeats?: number;
  meetings: PlannedMeeting[];
  importantDates: PlannedDate[];
  capacityWindows: PlannedWindow[];
}

/** A cluster's user node pool: what placeholders and students are scheduled onto. */
export interface UserNodePool {
  name: string;
  memoryMib: number;
  vcpu: number;
  minNodes: number;
  maxNodes: number;
}

export interface ClusterSupply {
  clusterId: string;
  userPool: UserNodePool;
  /** Node ready plus image pull, from the region's config: how early capacity must be asked for. */
  leadTimeMinutes: number;
}

/** A span during which a hub should hold `seats` warm seats. */
export interface SeatSpan {
  from: Date;
  to: Date;
  seats: number;
  memoryMibPerSeat: number;
  /** Why: "CS 120 lecture", "exam window: midterm", "deadline: project 1". */
  reason: string;
}

export interface HubCapacityPlan {
  hubId: string;
  hubSlug: string;
  clusterId: string;
  /** Non-overlapping, in time order; no span means no warm seats. */
  spans: SeatSpan[];
}

/** Two or more hubs wanting more of one pool than its maximum, at once. */
export interface CapacityConflict {
  clusterId: string;
  from: Date;
  to: Date;
  hubSlugs: string[];
  wantedMemoryMib: number;
  poolMaxMemoryMib: number;
}

export interface ClusterCapacityPlan {
  clusterId: string;
  /** The sum of the hubs' planned memory over time, against the pool's maximum. */
  steps: Array<{ from: Date; to: Date; plannedMemoryMib: number; poolMaxMemoryMib: number }>;
  conflicts: CapacityConflict[];
}

export interface CapacityPlan {
  hubs: HubCapacityPlan[];
  clusters: ClusterCapacityPlan[];
}

export interface PlanCapacityInput {
  hubs: HubDemand[];
  clusters: ClusterSupply[];
  /** The span to plan, usually now … now + 14 days. */
  from: Date;
  to: Date;
}
