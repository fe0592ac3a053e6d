export {
  queueNames,
  heartbeatJob,
  provisionHubJob,
  decommissionHubJob,
  checkHubHealthJob,
  reconcileFleetJob,
  applySpecChangesJob,
  applyCapacityJob,
  endOfTermJob,
  sendNotificationEmailsJob,
  sampleUsageJob,
  postDailyUsageJob,
  creditHousekeepingJob,
  identityHousekeepingJob,
  gitOpsExportJob,
  verifyContentLinksJob,
  foldLinkClicksJob,
  gradeSubmissionJob,
  sweepGradingJob,
  revokeHubAccessJob,
  jobDefinitions,
  type DefinedJob,
  type JobDefinition,
  type JobName,
  type PayloadByJobName,
  type PayloadOf,
  type QueueName,
} from "./definitions";
export {
  assertJobIdAccepted,
  decommissionJobId,
  gitOpsExportJobId,
  gradeJobId,
  provisionJobId,
  revokeHubAccessJobId,
  type ProvisionJobKey,
} from "./job-ids";
export { type EnqueueOptions, type JobQueues } from "./job-queues";
export {
  createBullMqJobQueues,
  redisConnectionFromUrl,
  type RedisConnection,
  type BullMqJobQueues,
  type BullMqJobQueuesOptions,
} from "./bullmq-job-queues";
export {
  jobStatesCounted,
  type CountedJobState,
  type FailedJob,
  type FailedJobPage,
  type JobInspector,
  type QueueDepths,
  type RetryOutcome,
} from "./job-inspector";
export { JobQueueUnavailableError, isRedisUnavailable } from "./queue-unavailable";
export {
  createInMemoryJobQueues,
  type InMemoryJobQueues,
  type QueuedJob,
} from "./in-memory-job-queues";
export {
  isJobName,
  jobDefinitionNamed,
  runJobHandler,
  type JobAttempt,
  type JobHandler,
  type JobHandlers,
} from "./handlers";
