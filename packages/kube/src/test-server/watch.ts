import { type ServerResponse } from "node:http";
import { type JsonObject } from "../json";
import { badRequestError, goneError } from "./api-errors";
import { type ResourceType } from "./resource-types";
import {
  matchesFieldSelector,
  matchesLabelSelector,
  type FieldRequirement,
  type LabelSelector,
} from "./selectors";
import { type ObjectStore, type StoreEvent, type WatchEventType } from "./store";

export interface WatchRequest {
  type: ResourceType;
  namespace: string | undefined;
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  resourceVersion: string | undefined;
  timeoutSeconds: number | undefined;
}

interface WatchEvent {
  type: WatchEventType | "ERROR";
  object: JsonObject;
}

/**
 * Watches as the API server streams them: one JSON event per line.
 *
 * Without a resourceVersion (or with "0") the stream starts with an ADDED
 * event per existing object; with one, it replays what happened after it, or
 * answers 410 Expired in an ERROR event when history no longer reaches back.
 * With selectors, an object that starts or stops matching arrives as ADDED or
 * DELETED, as informers expect.
 */
export class WatchStreams {
  private readonly openStreams = new Set<ServerResponse>();

  constructor(private readonly store: ObjectStore) {}

  get openCount(): number {
    return this.openStreams.size;
  }

  serve(request: WatchRequest, response: ServerResponse): void {
    const replay = this.selectReplay(request);
    response.writeHead(200, {
      "Content-Type": "application/json",
      "Cache-Control": "no-cache, private",
    });
    response.flushHeaders();
    if (replay === "expired") {
      const expired = goneError(
        `too old resource version: ${request.resourceVersion ?? ""} (${this.store.currentResourceVersion})`,
      );
      writeEvent(response, { type: "ERROR", object: expired.toStatus() });
      response.end();
      return;
    }

    this.openStreams.add(response);
    const unsubscribe = this.store.subscribe((event) => {
      const watchEvent = toWatchEvent(request, event);
      if (watchEvent) writeEvent(response, watchEvent);
    });
    const timeout =
      request.timeoutSeconds !== undefined && request.timeoutSeconds > 0
        ? setTimeout(() => response.end(), request.timeoutSeconds * 1000)
        : undefined;
    response.on("close", () => {
      unsubscribe();
      clearTimeout(timeout);
      this.openStreams.delete(response);
    });
    for (const event of replay) writeEvent(response, event);
  }

  /** Ends every open stream; clients see a clean end of the response. */
  closeAll(): void {
    for (const response of this.openStreams) response.end();
    this.openStreams.clear();
  }

  private selectReplay(request: WatchRequest): WatchEvent[] | "expired" {
    const { resourceVersion } = request;
    if (resourceVersion === undefined || resourceVersion === "" || resourceVersion === "0") {
      return this.store
        .list(request.type, request.namespace)
        .filter((object) => matches(request, object))
        .map((object) => ({ type: "ADDED", object }));
    }
    const version = Number(resourceVersion);
    if (!Number.isInteger(version) || version < 0) {
      throw badRequestError(`invalid resourceVersion "${resourceVersion}"`);
    }
    const events = this.store.eventsAfter(version);
    if (!events) return "expired";
    return events.flatMap((event) => {
      const watchEvent = toWatchEvent(request, event);
      return watchEvent ? [watchEvent] : [];
    });
  }
}

function matches(request: WatchRequest, object: JsonObject): boolean {
  return (
    matchesLabelSelector(object, request.labelSelector) &&
    matchesFieldSelector(object, request.fieldSelector)
  );
}

function toWatchEvent(request: WatchRequest, event: StoreEvent): WatchEvent | null {
  if (event.resourceType !== request.type) return null;
  if (request.namespace !== undefined && event.namespace !== request.namespace) return null;
  const isMatching = matches(request, event.object);
  if (event.type !== "MODIFIED")
    return isMatching ? { type: event.type, object: event.object } : null;
  const wasMatching = event.previousObject ? matches(request, event.previousObject) : false;
  if (isMatching && wasMatching) return { type: "MODIFIED", object: event.object };
  if (isMatching) return { type: "ADDED", object: event.object };
  if (wasMatching) return { type: "DELETED", object: event.object };
  return null;
}

function writeEvent(response: ServerResponse, event: WatchEvent): void {
  if (!response.writableEnded) response.write(`${JSON.stringify(event)}\n`);
}
