// Capacity planning (issue 15): the course calendar turned into warm seats per
// hub and planned memory per cluster, and the plan applied ahead of time.
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
