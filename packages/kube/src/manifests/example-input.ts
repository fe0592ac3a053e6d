import {
  DEFAULT_CHART_REPOSITORY_NAMESPACE,
  Z2JH_CHART_REPOSITORY_URL,
  Z2JH_CHART_VERSION,
  type HubManifestInput,
} from "./types";

/**
 * A typical course hub in the us-west demo region, for tests and the demo.
 * Overrides replace whole top-level fields; pass a complete `spec` to change it.
 */
export function buildExampleHubManifestInput(
  overrides: Partial<HubManifestInput> = {},
): HubManifestInput {
  return {
    hubSlug: "data-8",
    courseSlug: "data-8",
    institutionSlug: "pacific-state",
    regionSlug: "us-west",
    baseDomain: "us-west.hubfed.example.org",
    ingressClass: "nginx",
    ingressControllerNamespace: "ingress-nginx",
    storageClass: "gp3",
    userNodeAffinity: "require",
    portalUrl: "https://portal.hubfed.example.org",
    spec: {
      image: "quay.io/jupyter/scipy-notebook:2025-06-02",
      interface: "lab",
      memoryGuaranteeMib: 1024,
      memoryLimitMib: 2048,
      cpuGuaranteeMilli: 250,
      cpuLimitMilli: 2000,
      storageGib: 10,
      cullTimeoutSeconds: 3600,
      cullMaxAgeSeconds: 28800,
      startTimeoutSeconds: 300,
      placeholderSeats: 5,
      autograder: { isEnabled: true },
      auth: {
        provider: "oidc",
        issuerUrl: "https://login.pacific-state.example.edu",
        allowedEmailDomains: ["pacific-state.example.edu"],
      },
    },
    expectedConcurrentUsers: 120,
    // A 32 GiB / 4 vCPU user node less the margin; up to 3 nodes held warm.
    capacityPlaceholders: { podMemoryMib: 27648, podCpuMilli: 3400, maxPods: 3 },
    oidc: {
      clientId: "hub-data-8",
      issuerUrl: "https://portal.hubfed.example.org/oidc",
      authorizeUrl: "https://portal.hubfed.example.org/oidc/auth",
      tokenUrl: "https://portal.hubfed.example.org/oidc/token",
      userinfoUrl: "https://portal.hubfed.example.org/oidc/me",
      logoutRedirectUrl: "https://portal.hubfed.example.org/",
      clientSecretRef: { secretName: "hubfed-oidc-client", key: "client-secret" },
    },
    chart: {
      version: Z2JH_CHART_VERSION,
      repositoryUrl: Z2JH_CHART_REPOSITORY_URL,
      repositoryName: "jupyterhub",
      repositoryNamespace: DEFAULT_CHART_REPOSITORY_NAMESPACE,
    },
    ...overrides,
  };
}
