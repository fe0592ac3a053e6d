export {
  createLogger,
  currentLogContext,
  redacted,
  scrubSecrets,
  withLogContext,
  type LogContext,
  type Logger,
  type LoggerOptions,
} from "./logger";
export type { Counter, Histogram, Registry } from "prom-client";
export {
  createPortalMetrics,
  createWorkerMetrics,
  fastObserverOf,
  type HttpLabel,
  type JobLabel,
  type PortalMetrics,
  type WorkerMetrics,
  type WorkerMetricSources,
} from "./metrics";
export {
  answerMetricsRequest,
  isMetricsScrapeAllowed,
  type MetricsAccess,
} from "./metrics-endpoint";
export { clusterMetricsSource, serveClusterMetrics, type MetricsSource } from "./cluster-metrics";
export { parsePrometheusText, sampleValue, type PrometheusSample } from "./prometheus-text";
export { readJupyterHubMetrics, type JupyterHubMetrics } from "./jupyterhub-metrics";
