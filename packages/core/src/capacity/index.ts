// Capacity: the course calendar after approval (meetings, important dates,
// capacity windows and their review), the hub's approved envelope, and what
// the capacity planner is fed.
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
export { estimateWindowCost } from "./window-cost";
export {
  decideCapacityWindow,
  listPendingCapacityWindows,
  requestCapacityWindow,
  withdrawCapacityWindow,
} from "./windows";
