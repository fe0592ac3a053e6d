// One cluster under one scaling policy, stepped every 10 s (the cluster
// autoscaler's scan interval): students' pods are scheduled onto ready nodes
// (pre-empting placeholders), pending pods ask for nodes, empty nodes are
// removed, and every node-second is charged to what occupied it.
import { lognormal, seededRandom } from "./random";
import { hour, minute, type Arrival, type ArrivalKind } from "./semester";

export const stepSeconds = 10;
export const nodeMemoryMib = 32_768;
/** What pods may request on a node (90 %, as the pricing and planner assume). */
export const allocatableMib = Math.floor(nodeMemoryMib * 0.9);
export const maxPodsPerNode = 100;
export const nodeHourlyUsd = 0.25;
/** Control plane ($0.10/h), a core node and a load balancer: the same under every policy. */
export const fixedHourlyUsd = 0.1 + 0.25 + 0.025;
export const spawnTimeoutSeconds = 300;
const scaleDownUnneededSeconds = 10 * minute;
const scaleDownAfterScaleUpSeconds = 10 * minute;
const scaleDownPerStep = 10;

/** What a policy sets: node-sized placeholder pods and a floor of nodes, as functions of time. */
export interface Policy {
  name: string;
  placeholdersAt(seconds: number): number;
  minNodesAt(seconds: number): number;
}

export interface CostSplit {
  userActive: number;
  idleTail: number;
  placeholders: number;
  emptyNodes: number;
  slack: number;
  fixed: number;
}

export interface RunResult {
  waits: Record<ArrivalKind, number[]>;
  failures: number;
  starts: number;
  costUsd: CostSplit;
  peakNodes: number;
}

interface Node {
  readyAt: number;
  imageAt: number;
  usedMib: number;
  activeMib: number;
  pods: number;
  placeholder: boolean;
  emptySince: number | null;
}

interface Pending {
  arrival: Arrival;
}

/** Departures and idling, kept sorted by time (binary insertion; a few thousand at most). */
class Timeline<T extends { at: number }> {
  private readonly items: T[] = [];
  add(item: T) {
    let low = 0;
    let high = this.items.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.items[middle]!.at <= item.at) low = middle + 1;
      else high = middle;
    }
    this.items.splice(low, 0, item);
  }
  *due(until: number) {
    while (this.items.length > 0 && this.items[0]!.at <= until) yield this.items.shift()!;
  }
}

export function simulateCluster(
  arrivals: Arrival[],
  policy: Policy,
  seconds: number,
  nodeSeed: number,
  maxNodes: number,
): RunResult {
  const nodeRandom = seededRandom(nodeSeed);
  const nodes: Node[] = [];
  const pending: Pending[] = [];
  const events = new Timeline<{
    at: number;
    node: Node;
    mib: number;
    kind: "idle" | "stop";
    key: string;
  }>();
  const running = new Map<string, number>(); // hub/student → when the server stops
  const waits = Object.fromEntries(
    ["class-start", "post-lecture", "lab", "background", "deadline", "exam"].map((kind) => [
      kind,
      [] as number[],
    ]),
  ) as Record<ArrivalKind, number[]>;
  const cost: CostSplit = {
    userActive: 0,
    idleTail: 0,
    placeholders: 0,
    emptyNodes: 0,
    slack: 0,
    fixed: 0,
  };
  let failures = 0;
  let starts = 0;
  let next = 0;
  let pendingPlaceholders = 0;
  let lastScaleUpAt = -Infinity;
  let peakNodes = 0;

  const addNodes = (count: number, now: number) => {
    for (let k = 0; k < count && nodes.length < maxNodes; k += 1) {
      const readyAt = now + lognormal(nodeRandom, 3.5, 8) * minute;
      // The continuous image puller fetches the user image as soon as the node is up.
      nodes.push({
        readyAt,
        imageAt: readyAt + lognormal(nodeRandom, 90, 300),
        usedMib: 0,
        activeMib: 0,
        pods: 0,
        placeholder: false,
        emptySince: null,
      });
      lastScaleUpAt = now;
    }
  };
  const fits = (node: Node, mib: number, now: number) =>
    node.readyAt <= now &&
    !node.placeholder &&
    node.pods < maxPodsPerNode &&
    allocatableMib - node.usedMib >= mib;

  for (let now = 0; now <= seconds; now += stepSeconds) {
    for (const event of events.due(now)) {
      if (event.kind === "idle") event.node.activeMib -= event.mib;
      else {
        event.node.usedMib -= event.mib;
        event.node.pods -= 1;
        running.delete(event.key);
      }
    }
    for (; next < arrivals.length && arrivals[next]!.at <= now; next += 1) {
      const arrival = arrivals[next]!;
      const key = `${arrival.hub}/${arrival.student}`;
      // A student whose server is running or starting just uses it.
      if (running.has(key)) continue;
      running.set(key, Infinity);
      pending.push({ arrival });
    }

    // Schedule pending students, oldest first, onto the fullest node that fits
    // (the user scheduler packs); otherwise pre-empt a placeholder.
    for (let index = 0; index < pending.length;) {
      const { arrival } = pending[index]!;
      const key = `${arrival.hub}/${arrival.student}`;
      if (now - arrival.at >= spawnTimeoutSeconds) {
        failures += 1;
        starts += 1;
        waits[arrival.kind].push(spawnTimeoutSeconds);
        running.delete(key);
        pending.splice(index, 1);
        continue;
      }
      let target: Node | undefined;
      for (const node of nodes)
        if (fits(node, arrival.memoryMib, now) && (!target || node.usedMib > target.usedMib))
          target = node;
      if (!target) {
        target = nodes.find((node) => node.placeholder && node.readyAt <= now);
        if (target) {
          target.placeholder = false;
          pendingPlaceholders += 1;
        }
      }
      if (!target) {
        index += 1;
        continue;
      }
      pending.splice(index, 1);
      const bound = Math.max(arrival.at, target.readyAt, now - stepSeconds);
      const startedAt = Math.max(bound, target.imageAt) + arrival.podStartSeconds;
      const wait = startedAt - arrival.at;
      starts += 1;
      if (wait > spawnTimeoutSeconds) {
        failures += 1;
        waits[arrival.kind].push(spawnTimeoutSeconds);
        running.delete(key);
        continue;
      }
      waits[arrival.kind].push(wait);
      target.usedMib += arrival.memoryMib;
      target.activeMib += arrival.memoryMib;
      target.pods += 1;
      target.emptySince = null;
      const stopsAt = startedAt + arrival.activeSeconds + arrival.idleSeconds;
      running.set(key, stopsAt);
      events.add({
        at: startedAt + arrival.activeSeconds,
        node: target,
        mib: arrival.memoryMib,
        kind: "idle",
        key,
      });
      events.add({ at: stopsAt, node: target, mib: arrival.memoryMib, kind: "stop", key });
    }

    // Placeholders: as many as the policy wants, each on an otherwise empty ready node.
    const wanted = policy.placeholdersAt(now);
    let bound = nodes.filter((node) => node.placeholder).length;
    pendingPlaceholders = Math.max(0, wanted - bound);
    for (const node of nodes) {
      if (bound > wanted && node.placeholder) {
        node.placeholder = false;
        bound -= 1;
      } else if (
        pendingPlaceholders > 0 &&
        !node.placeholder &&
        node.pods === 0 &&
        node.readyAt <= now
      ) {
        node.placeholder = true;
        node.emptySince = null;
        pendingPlaceholders -= 1;
      }
    }

    // Scale up for pending pods beyond the nodes already booting, and to the floor.
    const pendingMib =
      pending.reduce((sum, { arrival }) => sum + arrival.memoryMib, 0) +
      pendingPlaceholders * allocatableMib;
    const bootingMib = nodes.filter((node) => node.readyAt > now).length * allocatableMib;
    if (pendingMib > bootingMib)
      addNodes(Math.ceil((pendingMib - bootingMib) / allocatableMib), now);
    const floor = policy.minNodesAt(now);
    if (nodes.length < floor) addNodes(floor - nodes.length, now);

    // Scale down: nodes empty for 10 min, not within 10 min of a scale-up, at most 10 a step.
    let removable = Math.min(scaleDownPerStep, nodes.length - floor);
    for (let index = nodes.length - 1; index >= 0; index -= 1) {
      const node = nodes[index]!;
      if (node.readyAt > now || node.pods > 0 || node.placeholder) continue;
      node.emptySince ??= now;
      if (
        removable > 0 &&
        now - node.emptySince >= scaleDownUnneededSeconds &&
        now - lastScaleUpAt >= scaleDownAfterScaleUpSeconds
      ) {
        nodes.splice(index, 1);
        removable -= 1;
      }
    }

    // Charge the step: a node's cost split by what holds its memory.
    const stepUsd = (nodeHourlyUsd * stepSeconds) / hour;
    cost.fixed += (fixedHourlyUsd * stepSeconds) / hour;
    peakNodes = Math.max(peakNodes, nodes.length);
    for (const node of nodes) {
      if (node.readyAt > now || (node.pods === 0 && !node.placeholder)) cost.emptyNodes += stepUsd;
      else if (node.placeholder) cost.placeholders += stepUsd;
      else {
        cost.userActive += (stepUsd * node.activeMib) / nodeMemoryMib;
        cost.idleTail += (stepUsd * (node.usedMib - node.activeMib)) / nodeMemoryMib;
        cost.slack += (stepUsd * (nodeMemoryMib - node.usedMib)) / nodeMemoryMib;
      }
    }
  }
  return { waits, failures, starts, costUsd: cost, peakNodes };
}
