import { parseLocalHub, type LocalHub, type LocalHubInput } from "./hub";

/** A valid hub description for tests; override what the test is about. */
export function buildTestHub(overrides: Partial<LocalHubInput> = {}): LocalHub {
  return parseLocalHub({
    hubSlug: "physics-101",
    dataDirectory: "/var/lib/hubfed/hubs/physics-101",
    ports: { proxyPublic: 18000, proxyApi: 18001, hub: 18002 },
    spec: {
      memoryLimitMib: 2048,
      memoryGuaranteeMib: 512,
      cpuLimitMilli: 1500,
      storageGib: 10,
      cullTimeoutSeconds: 3600,
      cullMaxAgeSeconds: 28_800,
      startTimeoutSeconds: 120,
      interface: "classic",
      image: "quay.io/jupyter/scipy-notebook:2025-01-01",
    },
    admins: ["ada"],
    serviceTokens: { portal: "portal-token-0123456789abcdef" },
    authentication: { kind: "dummy", password: "course-password" },
    ...overrides,
  });
}
