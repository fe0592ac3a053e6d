export {
  DEFAULT_CHART_REPOSITORY_NAMESPACE,
  Z2JH_CHART_REPOSITORY_URL,
  Z2JH_CHART_VERSION,
  hubManifestInputSchema,
  type HubManifestInput,
  type KubernetesManifest,
  type ObjectMetadata,
} from "./manifests/types";
export {
  COURSE_LABEL,
  HUB_LABEL,
  INSTITUTION_LABEL,
  MANAGED_BY_LABEL,
  REGION_LABEL,
  buildHubHost,
  buildHubLabels,
  buildHubNamespaceName,
} from "./manifests/labels";
export {
  HubValuesInvalidError,
  buildHubObjects,
  describeManifest,
  validateBeforeApply,
} from "./manifests/hub-objects";
export {
  CAPACITY_FIELD_MANAGER,
  CAPACITY_PLACEHOLDERS_NAME,
  CAPACITY_PLACEHOLDER_PRIORITY,
  CAPACITY_PLACEHOLDER_PRIORITY_CLASS,
  REPLICAS_OWNER_ANNOTATION,
  buildCapacityPlaceholders,
  placeholderPodSizeFor,
} from "./manifests/capacity-placeholders";
export { buildExampleHubManifestInput } from "./manifests/example-input";
export { SUSPENDED_RELEASE_POST_RENDERERS } from "./manifests/flux";
export { buildHubValues, buildCourseGroups, splitImageReference } from "./values/hub-values";
export {
  DEFAULT_Z2JH_VALUES_SCHEMA_PATH,
  validateHubValues,
  type ValuesProblem,
  type ValuesValidation,
} from "./values/values-schema";
export {
  connectToCluster,
  loadKubeConfig,
  defaultServiceAccountDirectory,
  type ClusterConnection,
  type InClusterConnection,
  type KubernetesCluster,
} from "./client/cluster";
export {
  HUBFED_FIELD_MANAGER,
  KubernetesApplyError,
  applyObjects,
  type AppliedObject,
  type ApplyOptions,
  type ApplyOutcome,
} from "./client/apply";
export { createResourceVersionCache, type ResourceVersionCache } from "./client/version-cache";
export { readDeploymentScale, scaleDeployment, type DeploymentScale } from "./client/scale";
export { readHelmReleaseReady, type HelmReleaseReadiness } from "./client/helm-release";
export { deleteNamespace } from "./client/namespaces";
export {
  readNamespaceUsage,
  memoryQuantityToMib,
  cpuQuantityToMilli,
  type NamespaceUsage,
} from "./client/usage";
export {
  deleteObject,
  labelPersistentVolumeClaims,
  readPortalServiceToken,
  readSecretValue,
  type ObjectReference,
} from "./client/objects";
export { deletePods, listPodNames } from "./client/pods";
export {
  SERVING_PODS_SELECTOR,
  SINGLEUSER_SERVER_SELECTOR,
  SINGLEUSER_STORAGE_SELECTOR,
} from "./manifests/conventions";
export {
  PRUNABLE_KINDS,
  kindOfDescription,
  pruneHubObjects,
  type PrunableKind,
  type PruneRequest,
} from "./client/prune";
export { fanOutToClusters, type ClusterTarget, type FanOutResult } from "./client/fan-out";
export { describeKubernetesError, type KubernetesCallError } from "./client/errors";
export { listChangedPaths, type JsonObject, type JsonValue } from "./json";
export {
  createKubernetesGradingSandbox,
  type KubernetesGradingSandboxOptions,
} from "./grading/sandbox";
export {
  GRADING_CONFIG_MAP_MAX_BYTES,
  GRADING_LABEL,
  buildGradingObjects,
  type GradingJobInput,
} from "./grading/grading-job";
export { stripNotebookOutputs } from "./grading/notebook";
export { readResultsLine, type ResultsLineReading } from "./grading/results";
export { CLUSTER_ISSUER_NAME, HUB_SECRET_NAME, PORTAL_SERVICE_NAME } from "./manifests/conventions";
