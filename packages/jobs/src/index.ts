export {
  queueNames,
  heartbeatJob,
  provisionHubJob,
  applySpecChangesJob,
  endOfTermJob,
  sendNotificationEmailsJob,
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
