/**
 * The job queue (Redis) did not answer an add in time: the connection is open but nothing comes
 * back (a partition, a paused server), or it is down. Thrown instead of waiting as long as the
 * network stalls, so an action that queues work fails fast with this plain message. An add that
 * was already on its way may still land once Redis answers; keyed jobs (job-ids.ts) make a
 * second try harmless.
 */
export class JobQueueUnavailableError extends Error {
  override readonly name = "JobQueueUnavailableError";

  constructor(
    readonly queue: string,
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `The job queue did not answer within ${(waitedMs / 1000).toFixed(1)} s, so the ${queue} work was not queued`,
      options,
    );
  }
}

// What ioredis says when Redis does not answer or cannot be reached.
const unavailableMessages =
  /Command timed out|Connection is closed|Stream isn't writeable|Reached the max retries per request|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/i;

/** Whether an error means Redis did not answer: a queue add that timed out, or an ioredis command. */
export function isRedisUnavailable(error: unknown): boolean {
  if (error instanceof JobQueueUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  // ioredis' own errors; a refused fetch elsewhere (GitHub, a hub) is not Redis.
  const isRedisError =
    error.name === "MaxRetriesPerRequestError" ||
    /Command timed out|Connection is closed|Stream isn't writeable/.test(error.message) ||
    (error as Error & { command?: unknown }).command !== undefined;
  return isRedisError && unavailableMessages.test(error.message);
}

/** `work`, or a JobQueueUnavailableError once it has taken longer than `withinMs`. */
export async function answerWithin<T>(
  work: Promise<T>,
  withinMs: number,
  queue: string,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new JobQueueUnavailableError(queue, withinMs)), withinMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
