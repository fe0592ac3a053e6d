import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Z2JH_CHART_VERSION } from "../manifests/types";
import { DEFAULT_Z2JH_VALUES_SCHEMA_PATH, loadValuesSchema } from "./values-schema";

describe("the chart's values schema the package carries", () => {
  it("is the pinned chart version's, unedited (packages/kube/schemas/README.md)", () => {
    expect(DEFAULT_Z2JH_VALUES_SCHEMA_PATH).toContain(
      `z2jh-values-${Z2JH_CHART_VERSION}.schema.yaml`,
    );
    const digest = createHash("sha256")
      .update(readFileSync(DEFAULT_Z2JH_VALUES_SCHEMA_PATH))
      .digest("hex");
    expect(digest).toBe("1d9d48ee343efda1140edfc3de4d8ec4113ae9173bf9e44b83f19c2ca335a0dc");
  });

  it("lies inside the package, so nothing beside the repository is read", () => {
    expect(DEFAULT_Z2JH_VALUES_SCHEMA_PATH).toMatch(/packages\/kube\/schemas\//);
    const schema = loadValuesSchema();
    expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
    expect(Object.keys(schema.properties as object)).toEqual(
      expect.arrayContaining(["hub", "proxy", "singleuser", "cull", "scheduling"]),
    );
  });
});
