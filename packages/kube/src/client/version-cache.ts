import { KubernetesObjectApi, Watch, type KubernetesObject } from "@kubernetes/client-node";
import { MANAGED_BY_LABEL } from "../manifests/labels";
import { type KubernetesCluster } from "./cluster";

/**
 * The resourceVersion of every object hubfed manages on a cluster, kept current by one list and
 * one watch per kind (what controllers call an informer), holding versions only, not objects: at
 * 10 000 hubs of 16 objects each, whole objects (HelmRelease values, Secrets) would be hundreds
 * of MiB, versions are a few.
 *
 * It lets a drift reconcile confirm an object is as it left it without a request: a write of any
 * kind (someone's edit, a controller's status, a delete) changes or removes the object's
 * resourceVersion, so an object still at the version the last apply answered with has not been
 * touched since. The cache only ever answers "unchanged since that version" or "don't know";
 * every doubt (kind not yet listed, watch broken and being re-listed, object missing) sends the
 * caller back to the API server.
 */
export interface ResourceVersionCache {
  /**
   * The version the watch last saw for the object (by describeManifest), undefined when it is
   * absent, null while its kind is not in sync (first use starts watching it).
   */
  versionOf(object: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
  }): string | undefined | null;
  /** Resolves once every kind asked about so far is in sync (tests; the benchmark's warm-up). */
  whenSynced(): Promise<void>;
  stop(): void;
}

interface KindWatch {
  versions: Map<string, string>;
  /** The newest resourceVersion the list or the watch delivered: where a resumed watch starts. */
  lastVersion?: string;
  /** Set when a watch failed right after it was opened: the list it started from is not enough. */
  needsList?: boolean;
  isSynced: boolean;
  synced: Promise<void>;
  abort?: AbortController;
}

/** After a watch ends (timeout, error, a restart of the API server), list again after this long. */
const relistDelayMs = 1_000;

/** The client's discovery (protected in KubernetesObjectApi): a kind's plural, for the watch path. */
class ResourceDiscovery extends KubernetesObjectApi {
  pluralOf(apiVersion: string, kind: string): Promise<string | undefined> {
    return this.resource(apiVersion, kind).then((resource) => resource?.name);
  }
}

export function createResourceVersionCache(cluster: KubernetesCluster): ResourceVersionCache {
  const kinds = new Map<string, KindWatch>();
  const discovery = cluster.kubeConfig.makeApiClient(ResourceDiscovery);
  let isStopped = false;
  const selector = `${MANAGED_BY_LABEL}=hubfed`;

  const keyOf = (namespace: string | undefined, name: string) =>
    namespace === undefined ? name : `${namespace}/${name}`;

  async function listAndWatch(apiVersion: string, kind: string, state: KindWatch): Promise<void> {
    const plural = await discovery.pluralOf(apiVersion, kind);
    if (!plural) throw new Error(`the API server does not serve ${apiVersion} ${kind}`);
    const list = await cluster.objects.list<KubernetesObject>(
      apiVersion,
      kind,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      selector,
    );
    state.versions.clear();
    for (const item of list.items) {
      const { namespace, name, resourceVersion } = item.metadata ?? {};
      if (name && resourceVersion) state.versions.set(keyOf(namespace, name), resourceVersion);
    }
    const path = `${apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`}/${plural}`;
    state.lastVersion = list.metadata?.resourceVersion;
    state.needsList = false;
    await watchFrom(apiVersion, kind, path, state);
    // In sync once the watch is open: it starts at the list's version, so every write after the
    // list reaches the cache (as an informer's, a few milliseconds behind the API server).
    if (!isStopped && !state.needsList) state.isSynced = true;
  }

  /**
   * Watches from state.lastVersion. A watch that ends is resumed from the last version it
   * delivered, without a new list: the client ends a watch after 30 s without an event, so a
   * quiet kind (nothing changes in an unchanged fleet) would otherwise be re-listed twice a
   * minute and its objects applied again while it is. The server replays what happened in
   * between, so the cache stays consistent, only as far behind as any watch. When the server
   * can no longer replay (an ERROR event: 410 Expired), or a watch fails right away, the kind
   * is out of sync until it is listed again.
   */
  async function watchFrom(
    apiVersion: string,
    kind: string,
    path: string,
    state: KindWatch,
  ): Promise<void> {
    const startedAt = Date.now();
    let isExpired = false;
    state.abort = await new Watch(cluster.kubeConfig).watch(
      path,
      { labelSelector: selector, resourceVersion: state.lastVersion },
      (phase: string, object: KubernetesObject) => {
        if (phase === "ERROR") {
          isExpired = true;
          return;
        }
        const { namespace, name, resourceVersion } = object.metadata ?? {};
        if (!name || !resourceVersion) return;
        state.lastVersion = resourceVersion;
        const key = keyOf(namespace, name);
        if (phase === "DELETED") state.versions.delete(key);
        else if (phase === "ADDED" || phase === "MODIFIED")
          state.versions.set(key, resourceVersion);
      },
      () => {
        if (isStopped) return;
        if (isExpired || Date.now() - startedAt < relistDelayMs) {
          state.isSynced = false;
          state.needsList = true;
          scheduleStart(apiVersion, kind, state, relistDelayMs);
          return;
        }
        watchFrom(apiVersion, kind, path, state).catch(() => {
          state.isSynced = false;
          scheduleStart(apiVersion, kind, state, relistDelayMs);
        });
      },
    );
  }

  function scheduleStart(apiVersion: string, kind: string, state: KindWatch, delayMs: number) {
    state.synced = new Promise<void>((resolve) => {
      const attempt = () => {
        if (isStopped) return resolve();
        listAndWatch(apiVersion, kind, state).then(resolve, () => {
          state.isSynced = false;
          setTimeout(attempt, relistDelayMs).unref();
        });
      };
      if (delayMs === 0) attempt();
      else setTimeout(attempt, delayMs).unref();
    });
  }

  return {
    versionOf({ apiVersion, kind, namespace, name }) {
      const kindKey = `${apiVersion} ${kind}`;
      let state = kinds.get(kindKey);
      if (!state) {
        state = { versions: new Map(), isSynced: false, synced: Promise.resolve() };
        kinds.set(kindKey, state);
        if (!isStopped) scheduleStart(apiVersion, kind, state, 0);
        return null;
      }
      if (!state.isSynced) return null;
      return state.versions.get(keyOf(namespace, name));
    },
    async whenSynced() {
      await Promise.all([...kinds.values()].map((state) => state.synced));
    },
    stop() {
      isStopped = true;
      for (const state of kinds.values()) {
        state.isSynced = false;
        state.abort?.abort();
      }
    },
  };
}
