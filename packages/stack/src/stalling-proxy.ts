import net from "node:net";

/**
 * A TCP proxy in front of a real service (PostgreSQL, Redis) that can stall: it stops moving
 * bytes in either direction without closing anything, as a network partition does. Bytes sent
 * during the stall wait (in the sockets' buffers, then TCP's flow control) and arrive once it
 * ends, exactly as after a partition heals. Fault tests put it between the code under test and
 * the machine's shared services, which are never paused themselves.
 */
export interface StallingProxy {
  /** host:port to give the code under test instead of the service's. */
  readonly port: number;
  /** redis://127.0.0.1:<port>/… or postgresql://…@127.0.0.1:<port>/…: `url` with the proxy's address. */
  proxiedUrl(url: string): string;
  /** Stops forwarding bytes on every connection, open and new, until resume(). */
  stall(): void;
  resume(): void;
  readonly isStalled: boolean;
  close(): Promise<void>;
}

const defaultPorts: Record<string, number> = {
  "postgresql:": 5432,
  "postgres:": 5432,
  "redis:": 6379,
  "rediss:": 6379,
};

/**
 * A stalling proxy in front of the service at `target`: its host and port, or a connection URL
 * (postgresql://…, redis://…) whose port defaults to the protocol's.
 */
export async function startStallingProxy(
  target: string | { host: string; port: number },
): Promise<StallingProxy> {
  if (typeof target === "string") {
    const address = new URL(target);
    const port = Number(address.port || defaultPorts[address.protocol]);
    if (!port) throw new Error(`No port for ${address.protocol} in the stalling proxy's target`);
    return startStallingProxy({ host: address.hostname, port });
  }
  let isStalled = false;
  type Pair = { client: net.Socket; upstream: net.Socket };
  const pairs = new Set<Pair>();
  const flow = ({ client, upstream }: Pair) => {
    client.pipe(upstream);
    upstream.pipe(client);
  };
  // Unpipe before pausing: pipe() resumes a paused source whenever its destination drains.
  const hold = ({ client, upstream }: Pair) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    const pair = { client, upstream };
    pairs.add(pair);
    if (isStalled) hold(pair);
    else flow(pair);
    const close = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    proxiedUrl(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    stall() {
      isStalled = true;
      for (const pair of pairs) hold(pair);
    },
    resume() {
      isStalled = false;
      for (const pair of pairs) flow(pair);
    },
    get isStalled() {
      return isStalled;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
