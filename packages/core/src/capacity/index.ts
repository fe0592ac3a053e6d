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
export type * from "./plan-types";
