import path from "node:path";
import { describe, expect, it } from "vitest";
import { gitOpsSettingsOf, parseWorkerEnvironment } from "./env";

// The worker's environment → the GitOps export's settings: the render settings reconcile uses,
// and the destination the HUBFED_GITOPS_* variables choose.
const required = {
  DATABASE_URL: "postgresql://hubfed@127.0.0.1:5432/hubfed",
  REDIS_URL: "redis://127.0.0.1:6379",
  HUBFED_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
};

function gitOpsSettingsFor(variables: Record<string, string>) {
  return gitOpsSettingsOf(parseWorkerEnvironment({ ...required, ...variables }));
}

describe("the GitOps export's settings from the worker's environment", () => {
  it("renders with reconcile's settings and writes files under .data/gitops by default", () => {
    expect(gitOpsSettingsFor({})).toEqual({
      render: {
        portalUrl: "http://localhost:3000",
        ingressControllerNamespace: "ingress-nginx",
      },
      destination: { kind: "directory", directory: path.resolve(".data/gitops") },
    });
  });

  it("opens pull requests when both the repository and the token are set", () => {
    expect(
      gitOpsSettingsFor({
        HUBFED_GITOPS_REPOSITORY: "federation/fleet",
        HUBFED_GITOPS_TOKEN: "ghp_token",
        HUBFED_GITHUB_API_URL: "http://127.0.0.1:9999",
      }).destination,
    ).toEqual({
      kind: "github",
      owner: "federation",
      repo: "fleet",
      baseBranch: "main",
      token: "ghp_token",
      apiUrl: "http://127.0.0.1:9999",
    });
  });

  it("reports a half-configured destination instead of writing files", () => {
    expect(gitOpsSettingsFor({ HUBFED_GITOPS_REPOSITORY: "federation/fleet" }).destination).toEqual(
      {
        kind: "misconfigured",
        reason: "HUBFED_GITOPS_REPOSITORY is set but HUBFED_GITOPS_TOKEN is not",
      },
    );
  });
});

describe("which queues a worker processes", () => {
  it("processes all by default, and only the named ones when WORKER_QUEUES names them", () => {
    expect(parseWorkerEnvironment(required).WORKER_QUEUES).toBeUndefined();
    expect(
      parseWorkerEnvironment({ ...required, WORKER_QUEUES: "grading, links" }).WORKER_QUEUES,
    ).toEqual(["grading", "links"]);
  });

  it("refuses a queue that does not exist, naming it", () => {
    expect(() => parseWorkerEnvironment({ ...required, WORKER_QUEUES: "grading,gradng" })).toThrow(
      /WORKER_QUEUES: .*not: gradng/,
    );
  });
});
