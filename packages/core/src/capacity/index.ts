// Capacity (issue 15): the course calendar after approval (meetings, important
// dates, capacity windows and their review), the hub's approved envelope, what
// the planner is fed, and the planner itself (the calendar turned into warm
// seats per hub and planned memory per cluster) and the plan applied ahead of time.
export {
  addImportantDateInput,
  decideCapacityWindowInput,
  importantDateKinds,
  maxWindowDays,
  meetingInput,
  minutesOfClockTime,
  requestCapacityWindowInput,
  saveMeetingsInput,
} from "./calendar-input";
export {
  addImportantDate,
  type CourseSchedule,
  getCourseSchedule,
  removeImportantDate,
  saveMeetings,
} from "./calendar";
export { loadClusterSupply, loadHubDemand } from "./demand";
export {
  type CapacityEnvelope,
  capacityEnvelopeOf,
  envelopeExcessOf,
  envelopeSeatFactor,
} from "./envelope";
export {
  allocatableMemoryMibPerNode,
  classStartBurst,
  headroomSeats,
  placeholderPodsFor,
  planCapacity,
  poolMaxMemoryMib,
} from "./plan";
export {
  applyCapacity,
  applyPlaceholderPods,
  desiredPlaceholdersAt,
  spanDueAt,
  type CapacityApplyReport,
  type CapacityPlanLoader,
  type DesiredPlaceholders,
  type HubPlaceholderScaler,
  type PlannedHub,
} from "./apply";
export type {
  CapacityConflict,
  CapacityPlan,
  ClusterCapacityPlan,
  ClusterSupply,
  HubCapacityPlan,
  HubDemand,
  PlanCapacityInput,
  PlannedDate,
  PlannedMeeting,
  PlannedWindow,
  SeatSpan,
  UserNodePool,
} from "./plan-types";
export {
  clusterPlanTimeline,
  hubPlanTimeline,
  plannedSeatsAt,
  type ClusterPlanPoint,
  type HubPlanPoint,
} from "./timeline";
export { estimateWindowCost } from "./window-cost";
export {
  decideCapacityWindow,
  listPendingCapacityWindows,
  requestCapacityWindow,
  withdrawCapacityWindow,
} from "./windows";
export {
  describeClusterPlans,
  describeCoursePlan,
  describeHubPlan,
  loadPlannedHubs,
  planFromDatabase,
  type ClusterPlanChart,
  type HubPlanChart,
} from "./plan-from-database";
