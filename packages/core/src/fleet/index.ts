export {
  fleetCsv,
  fleetFilterChoices,
  type FleetHealth,
  fleetHealths,
  type FleetHub,
  type FleetQuery,
  fleetQueryInput,
  fleetSortKeys,
  listFleet,
} from "./fleet";
