import net from "node:net";
import type { LocalHubPorts } from "./hub";

export interface PortRange {
  first: number;
  last: number;
}

export const portsPerHub = 3;

/**
 * The ports of a range not taken by another hub, lowest first. Pure: which of them are free on
 * the machine is a separate question (isPortAvailable).
 */
export function listCandidatePorts(range: PortRange, takenPorts: Iterable<number>): number[] {
  if (!Number.isInteger(range.first) || !Number.isInteger(range.last) || range.first < 1) {
    throw new Error(`Invalid port range ${range.first}–${range.last}`);
  }
  if (range.last > 65_535 || range.last < range.first) {
    throw new Error(`Invalid port range ${range.first}–${range.last}`);
  }
  const taken = new Set(takenPorts);
  const candidates: number[] = [];
  for (let port = range.first; port <= range.last; port += 1) {
    if (!taken.has(port)) candidates.push(port);
  }
  return candidates;
}

/**
 * True when nothing listens on the port: binding the wildcard address fails if any local address
 * has it, so this covers the loopback-only hub and API ports as well as a public proxy port.
 */
export function isPortAvailable(port: number, host = "0.0.0.0"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export interface AllocateHubPortsOptions {
  range: PortRange;
  /** Ports already assigned to hubs in the records, running or not. */
  takenPorts: Iterable<number>;
  isPortAvailable?: (port: number) => Promise<boolean>;
}

/**
 * Three ports for a new hub from the cluster's range: not assigned to another hub and not in use
 * on this machine. The records stay the authority: save the result before the next allocation.
 */
export async function allocateHubPorts({
  range,
  takenPorts,
  isPortAvailable: isAvailable = isPortAvailable,
}: AllocateHubPortsOptions): Promise<LocalHubPorts> {
  const chosen: number[] = [];
  for (const port of listCandidatePorts(range, takenPorts)) {
    if (await isAvailable(port)) chosen.push(port);
    if (chosen.length === portsPerHub) break;
  }
  const [proxyPublic, proxyApi, hub] = chosen;
  if (proxyPublic === undefined || proxyApi === undefined || hub === undefined) {
    throw new Error(
      `No ${portsPerHub} free ports left in ${range.first}–${range.last} (found ${chosen.length})`,
    );
  }
  return { proxyPublic, proxyApi, hub };
}
