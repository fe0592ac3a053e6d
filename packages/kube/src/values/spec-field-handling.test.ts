import { hubSpecSchema } from "@hubfed/hub-spec";
import { expect, it } from "vitest";
import { kubernetesSpecFieldHandling } from "./hub-values";

it("places every field of the hub spec on Kubernetes, and nothing else", () => {
  expect(Object.keys(kubernetesSpecFieldHandling).sort()).toEqual(
    Object.keys(hubSpecSchema.shape).sort(),
  );
});
