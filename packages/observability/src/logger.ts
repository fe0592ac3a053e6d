import { AsyncLocalStorage } from "node:async_hooks";
import { pino, stdSerializers, type DestinationStream, type Logger } from "pino";

export type { Logger } from "pino";

/**
 * What ties a log line to the work it belongs to: the worker's job (queue, name, id), set once
 * where the work starts (`withLogContext`); every line logged while it runs carries it, including
 * lines from code that was handed the process's logger long before. (The portal names its
 * request id on each line instead: a context per request costs the interact path too much.)
 */
export interface LogContext {
  requestId?: string;
  queue?: string;
  job?: string;
  jobId?: string;
}

// One store per process, kept on globalThis: the portal's Next bundle compiles its own copy of
// this module, and its route handlers must see the request id server.ts set.
const logContextKey = Symbol.for("hubfed.observability.logContext");
const logContext = ((globalThis as Record<symbol, unknown>)[logContextKey] ??=
  new AsyncLocalStorage<LogContext>()) as AsyncLocalStorage<LogContext>;

/** Runs `work` with `context` attached to every line it logs (and everything it awaits). */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, work);
}

/** The context of the work running now, if any (the portal's request id for a response header). */
export function currentLogContext(): LogContext | undefined {
  return logContext.getStore();
}

export const redacted = "[redacted]";

// A key that names a secret has its value replaced, however deep it sits and whatever the
// value is: a password, a session cookie, a client secret, an Authorization header.
const sensitiveKey =
  /pass(word|phrase)?$|secret|token|authorization|cookie|api[-_]?key|private[-_]?key|credential|sealed/i;
// Secrets inside free text: credentials in a URL (postgresql://user:pass@host, redis://:pass@host)
// and bearer or JupyterHub tokens in a copied header.
const urlCredentials = /([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]+)@/gi;
const headerCredentials = /\b(bearer|token|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;

/** Text with URL passwords and header credentials replaced: error messages name connection URLs. */
export function scrubSecrets(text: string): string {
  return text
    .replace(urlCredentials, `$1$2:${redacted}@`)
    .replace(headerCredentials, `$1 ${redacted}`);
}

const maximumDepth = 6;

function scrubValue(value: unknown, depth: number): unknown {
  if (typeof value === "string") return scrubSecrets(value);
  if (value === null || typeof value !== "object" || depth >= maximumDepth) return value;
  if (value instanceof Error) return serializeError(value);
  if (value instanceof Date || Buffer.isBuffer(value)) return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  const scrubbed: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value))
    scrubbed[key] = sensitiveKey.test(key) ? redacted : scrubValue(item, depth + 1);
  return scrubbed;
}

function serializeError(error: unknown): unknown {
  // The log formatter has already turned an Error in the fields into a scrubbed object.
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  return scrubValue({ ...serialized }, 1);
}

export interface LoggerOptions {
  /** The process or program logging: "portal", "worker", … (every line's `component`). */
  component: string;
  /** trace, debug, info (default), warn, error, fatal or silent. */
  level?: string;
  /** Where lines go; standard output by default (tests pass a stream to read them back). */
  destination?: DestinationStream;
}

/**
 * The one logger definition: JSON lines (pino) with an ISO time, the level's name, the component,
 * the request or job the line belongs to, and secrets scrubbed from the message, from every
 * field whose name says it is a secret, and from errors.
 */
export function createLogger({ component, level = "info", destination }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { component },
      timestamp: pino.stdTimeFunctions.isoTime,
      messageKey: "message",
      errorKey: "error",
      mixin: () => logContext.getStore() ?? {},
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => scrubValue(object, 0) as Record<string, unknown>,
      },
      serializers: { error: serializeError, err: serializeError },
      hooks: {
        logMethod(parameters, method) {
          const scrubbed = parameters.map((parameter) =>
            typeof parameter === "string" ? scrubSecrets(parameter) : parameter,
          ) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
    },
    destination ?? pino.destination({ fd: 1, sync: false }),
  );
}
