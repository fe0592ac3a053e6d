import { hubSpecSchema } from "@hubfed/hub-spec";
import { expect, it } from "vitest";
import { localSpecFieldHandling } from "./hub";

it("accounts for every field of the hub spec on a local hub, and nothing else", () => {
  expect(Object.keys(localSpecFieldHandling).sort()).toEqual(
    Object.keys(hubSpecSchema.shape).sort(),
  );
});
