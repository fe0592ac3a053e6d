/**
 * What clients asked of the server, for tests and benchmarks ("a reconcile of
 * an unchanged fleet writes nothing"). Only successful requests count under
 * their verb; any request answered with a non-2xx status counts as `failed`.
 * A PUT or PATCH that left the object as it was counts as a no-op, not a
 * write, exactly as a real API server does not bump resourceVersion for it.
 */
export interface RequestCounters {
  get: number;
  list: number;
  watch: number;
  create: number;
  update: number;
  updateNoop: number;
  patchChanged: number;
  patchNoop: number;
  delete: number;
  discovery: number;
  failed: number;
}

export type CountedVerb = keyof RequestCounters;

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  verb: CountedVerb | "other";
  statusCode: number;
}

export function createRequestCounters(): RequestCounters {
  return {
    get: 0,
    list: 0,
    watch: 0,
    create: 0,
    update: 0,
    updateNoop: 0,
    patchChanged: 0,
    patchNoop: 0,
    delete: 0,
    discovery: 0,
    failed: 0,
  };
}

/** Requests that changed stored state. */
export function countWrites(counters: RequestCounters): number {
  return counters.create + counters.update + counters.patchChanged + counters.delete;
}
