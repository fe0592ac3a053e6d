export {
  queueNames,
  heartbeatJob,
  provisionHubJob,
  applySpecChangesJob,
  endOfTermJob,
  sendNotificationEmailsJob,
  sampleUsageJob,
  postDailyUsageJob,
  creditHousekeepingJob,
  jobDefinitions,
  type JobDefinition,
  type PayloadOf,
  type QueueName,
} from "./definitions";
export {
  createQueues,
  closeQueues,
  enqueue,
  redisConnectionFromUrl,
  scheduleRepeatableJobs,
  type Queues,
} from "./queues";
