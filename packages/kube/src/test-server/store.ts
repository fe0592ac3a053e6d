import { randomUUID } from "node:crypto";
import { cloneJson, isJsonEqual, isJsonObject, readStringAt, type JsonObject } from "../json";
import { type ResourceType } from "./resource-types";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface StoreEvent {
  type: WatchEventType;
  resourceVersion: number;
  resourceType: ResourceType;
  namespace: string | undefined;
  /** The object after the change; for DELETED, its last state. */
  object: JsonObject;
  /** The object before the change (MODIFIED), so watches with selectors can tell entries from exits. */
  previousObject: JsonObject | null;
}

type StoreListener = (event: StoreEvent) => void;

/** Kubernetes timestamps are RFC 3339 with whole seconds. */
export function formatKubernetesTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** Everything but metadata and status: a change here is a change of desired state. */
function hasDesiredStateChanged(previous: JsonObject, next: JsonObject): boolean {
  const withoutBookkeeping = (object: JsonObject): JsonObject => {
    const { metadata: _metadata, status: _status, ...rest } = object;
    return rest;
  };
  return !isJsonEqual(withoutBookkeeping(previous), withoutBookkeeping(next));
}

/**
 * The in-memory etcd: objects per type and key, one resourceVersion counter
 * for the whole store (as etcd's revision), and a bounded history of events
 * for watches that resume from a resourceVersion.
 *
 * It owns the system fields (uid, creationTimestamp, resourceVersion,
 * generation); callers decide everything else. It hands out copies only.
 */
export class ObjectStore {
  private resourceVersion = 0;
  private compactedThrough = 0;
  private readonly objectsByType = new Map<ResourceType, Map<string, JsonObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();

  constructor(private readonly historyLimit = 10_000) {}

  get currentResourceVersion(): string {
    return String(this.resourceVersion);
  }

  read(type: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const object = this.objectsByType.get(type)?.get(objectKey(namespace, name));
    return object ? cloneJson(object) : undefined;
  }

  /** Objects of a type, in one namespace or all, ordered by namespace then name. */
  list(type: ResourceType, namespace?: string): JsonObject[] {
    const objects = [...(this.objectsByType.get(type)?.values() ?? [])];
    return objects
      .filter(
        (object) =>
          namespace === undefined || readStringAt(object, ["metadata", "namespace"]) === namespace,
      )
      .map((object) => cloneJson(object))
      .sort((left, right) => sortKey(left).localeCompare(sortKey(right)));
  }

  insert(type: ResourceType, object: JsonObject): JsonObject {
    const stored = cloneJson(object);
    const metadata = metadataOf(stored);
    metadata.uid = randomUUID();
    metadata.creationTimestamp = formatKubernetesTime(new Date());
    metadata.generation = 1;
    metadata.resourceVersion = this.nextResourceVersion();
    const name = readStringAt(stored, ["metadata", "name"]) ?? "";
    const namespace = readStringAt(stored, ["metadata", "namespace"]);
    this.objectsOf(type).set(objectKey(namespace, name), stored);
    this.publish({
      type: "ADDED",
      resourceType: type,
      namespace,
      object: stored,
      previousObject: null,
    });
    return cloneJson(stored);
  }

  /** Stores a new version of an existing object; generation moves only when desired state changed. */
  replace(type: ResourceType, previous: JsonObject, next: JsonObject): JsonObject {
    const stored = cloneJson(next);
    const metadata = metadataOf(stored);
    const previousMetadata = metadataOf(previous);
    metadata.uid = previousMetadata.uid ?? randomUUID();
    metadata.creationTimestamp =
      previousMetadata.creationTimestamp ?? formatKubernetesTime(new Date());
    const generation =
      typeof previousMetadata.generation === "number" ? previousMetadata.generation : 1;
    metadata.generation = hasDesiredStateChanged(previous, stored) ? generation + 1 : generation;
    metadata.resourceVersion = this.nextResourceVersion();
    const name = readStringAt(stored, ["metadata", "name"]) ?? "";
    const namespace = readStringAt(stored, ["metadata", "namespace"]);
    this.objectsOf(type).set(objectKey(namespace, name), stored);
    this.publish({
      type: "MODIFIED",
      resourceType: type,
      namespace,
      object: stored,
      previousObject: cloneJson(previous),
    });
    return cloneJson(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const objects = this.objectsOf(type);
    const key = objectKey(namespace, name);
    const stored = objects.get(key);
    if (!stored) return undefined;
    objects.delete(key);
    // A deletion is a revision of its own; the DELETED event carries it.
    metadataOf(stored).resourceVersion = this.nextResourceVersion();
    this.publish({
      type: "DELETED",
      resourceType: type,
      namespace,
      object: stored,
      previousObject: null,
    });
    return cloneJson(stored);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after a resourceVersion, or undefined when history no longer reaches back that far. */
  eventsAfter(resourceVersion: number): StoreEvent[] | undefined {
    if (resourceVersion < this.compactedThrough) return undefined;
    return this.history.filter((event) => event.resourceVersion > resourceVersion);
  }

  private nextResourceVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private objectsOf(type: ResourceType): Map<string, JsonObject> {
    let objects = this.objectsByType.get(type);
    if (!objects) {
      objects = new Map();
      this.objectsByType.set(type, objects);
    }
    return objects;
  }

  private publish(event: Omit<StoreEvent, "resourceVersion">): void {
    const recorded: StoreEvent = {
      ...event,
      object: cloneJson(event.object),
      resourceVersion: this.resourceVersion,
    };
    this.history.push(recorded);
    while (this.history.length > this.historyLimit) {
      const evicted = this.history.shift();
      if (evicted) this.compactedThrough = evicted.resourceVersion;
    }
    for (const listener of this.listeners) listener(recorded);
  }
}

function metadataOf(object: JsonObject): JsonObject {
  const metadata = object.metadata;
  if (isJsonObject(metadata)) return metadata;
  const created: JsonObject = {};
  object.metadata = created;
  return created;
}

function sortKey(object: JsonObject): string {
  return `${readStringAt(object, ["metadata", "namespace"]) ?? ""}/${readStringAt(object, ["metadata", "name"]) ?? ""}`;
}
