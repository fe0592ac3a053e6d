import {
  jobDefinitions,
  type DefinedJob,
  type JobDefinition,
  type JobName,
  type PayloadByJobName,
} from "./definitions";

/** What a handler may need to know about the try it runs in. */
export interface JobAttempt {
  /** No retry follows if this one fails (the job's attempts are used up). */
  isLastAttempt: boolean;
}

/** Runs one job: gets its validated payload, calls one core service. */
export type JobHandler<Name extends JobName, Dependencies> = (
  payload: PayloadByJobName[Name],
  dependencies: Dependencies,
  attempt: JobAttempt,
) => Promise<unknown>;

/**
 * One handler per defined job, keyed by job name. A missing or misspelt
 * handler, or one that expects another payload, is a compile error.
 */
export type JobHandlers<Dependencies> = {
  [Name in JobName]: JobHandler<Name, Dependencies>;
};

const definitionsByName = new Map<string, DefinedJob>(
  jobDefinitions.map((definition) => [definition.name, definition]),
);

/** Whether a name read back from the queue is one of ours. */
export function isJobName(name: string): name is JobName {
  return definitionsByName.has(name);
}

/** The definition of a job, by name, with its payload type. */
export function jobDefinitionNamed<Name extends JobName>(
  name: Name,
): JobDefinition<PayloadByJobName[Name], Name> {
  // The map is built from the same tuple PayloadByJobName is derived from, so
  // the entry for `name` has exactly this type; TypeScript cannot see that
  // through a Map, hence the one assertion here.
  return definitionsByName.get(name) as JobDefinition<PayloadByJobName[Name], Name>;
}

/**
 * Validates a job's data with its definition's schema and runs its handler.
 * Drivers call this; the handler table is the caller's.
 */
export async function runJobHandler<Name extends JobName, Dependencies>(
  handlers: JobHandlers<Dependencies>,
  job: { name: Name; data: unknown },
  dependencies: Dependencies,
  attempt: JobAttempt,
): Promise<unknown> {
  const payload = jobDefinitionNamed(job.name).payload.parse(job.data);
  const handler: JobHandler<Name, Dependencies> = handlers[job.name];
  return handler(payload, dependencies, attempt);
}
