export { generateRegionJsonSchema, renderRegionJsonSchema } from "./json-schema";
export {
  formatFieldPath,
  loadRegionConfigs,
  readRegionConfigs,
  REGION_FILE_NAME,
  type RegionFileProblem,
} from "./load";
export {
  type ClusterConfig,
  type CloudProviderName,
  hashRegionConfig,
  type NodePoolConfig,
  parseMoneyToMicros,
  type RegionConfig,
  type RegionConfigInput,
  regionConfigSchema,
} from "./schema";
export { type RegionSyncReport, syncRegions, type SyncRegionsOptions } from "./sync";
