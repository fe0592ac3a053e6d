import net from "node:net";
import { describe, expect, it } from "vitest";
import { allocateHubPorts, isPortAvailable, listCandidatePorts } from "./ports";

const range = { first: 18_000, last: 18_009 };

describe("listCandidatePorts", () => {
  it("lists the range lowest first without the taken ports", () => {
    expect(listCandidatePorts(range, [18_001, 18_003, 17_000])).toEqual([
      18_000, 18_002, 18_004, 18_005, 18_006, 18_007, 18_008, 18_009,
    ]);
  });

  it("refuses an empty or impossible range", () => {
    expect(() => listCandidatePorts({ first: 18_010, last: 18_000 }, [])).toThrow(/range/);
    expect(() => listCandidatePorts({ first: 0, last: 10 }, [])).toThrow(/range/);
    expect(() => listCandidatePorts({ first: 65_000, last: 70_000 }, [])).toThrow(/range/);
  });
});

describe("allocateHubPorts", () => {
  it("hands out three ports skipping assigned ones and ones busy on the machine", async () => {
    const busy = new Set([18_002]);
    const ports = await allocateHubPorts({
      range,
      takenPorts: [18_000],
      isPortAvailable: (port) => Promise.resolve(!busy.has(port)),
    });
    expect(ports).toEqual({ proxyPublic: 18_001, proxyApi: 18_003, hub: 18_004 });
  });

  it("says so when the range is exhausted", async () => {
    await expect(
      allocateHubPorts({
        range: { first: 18_000, last: 18_003 },
        takenPorts: [18_000, 18_001],
        isPortAvailable: () => Promise.resolve(true),
      }),
    ).rejects.toThrow(/No 3 free ports left in 18000–18003 \(found 2\)/);
  });

  it("finds a port someone listens on busy by trying to listen on it", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (address === null || typeof address === "string") throw new Error("no address");
    try {
      expect(await isPortAvailable(address.port)).toBe(false);
      const ports = await allocateHubPorts({
        range: { first: address.port, last: Math.min(address.port + 50, 65_535) },
        takenPorts: [],
      });
      expect(Object.values(ports)).not.toContain(address.port);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
