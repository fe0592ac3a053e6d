import { describe, expect, it } from "vitest";
import { type JsonObject } from "../json";
import {
  computeServerSideApply,
  decodeFieldsV1,
  encodeFieldsV1,
  recordUpdateOwnership,
} from "./managed-fields";
import { parseLabelSelector } from "./selectors";

const now = "2026-01-01T00:00:00Z";

function apply(base: JsonObject, applied: JsonObject, manager: string, isForced = false) {
  return computeServerSideApply({ base, applied, manager, isForced, now });
}

function applied(object: JsonObject, applyOutcome: ReturnType<typeof apply>): JsonObject {
  if (applyOutcome.isConflict)
    throw new Error(`unexpected conflict ${JSON.stringify(applyOutcome.conflicts)}`);
  return { ...object, ...applyOutcome.object };
}

const identity = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "settings" } };

describe("FieldsV1", () => {
  it("round-trips leaf paths, marking owned maps that also have owned children", () => {
    const paths = [
      ["data", "a"],
      ["spec", "selector"],
      ["spec", "selector", "app"],
    ];
    const encoded = encodeFieldsV1(paths);
    expect(encoded).toEqual({
      "f:data": { "f:a": {} },
      "f:spec": { "f:selector": { ".": {}, "f:app": {} } },
    });
    expect(decodeFieldsV1(encoded)).toEqual(paths);
  });
});

describe("computeServerSideApply", () => {
  it("keeps lists atomic and empty maps as owned leaves", () => {
    const outcome = apply(
      identity,
      { ...identity, spec: { podSelector: {}, ports: [80, 443] } },
      "hubfed",
    );
    const object = applied(identity, outcome);
    expect(object.spec).toEqual({ podSelector: {}, ports: [80, 443] });
    const replaced = applied(
      object,
      apply(object, { ...identity, spec: { podSelector: {}, ports: [8080] } }, "hubfed"),
    );
    expect(replaced.spec).toEqual({ podSelector: {}, ports: [8080] });
  });

  it("lists every conflicting field with its owner", () => {
    const first = applied(
      identity,
      apply(identity, { ...identity, data: { a: "1", b: "2" } }, "hubfed"),
    );
    const outcome = apply(first, { ...identity, data: { a: "x", b: "2", c: "3" } }, "operator");
    expect(outcome).toEqual({
      isConflict: true,
      conflicts: [{ manager: "hubfed", field: ".data.a" }],
    });
  });

  it("prunes maps a removed field leaves empty", () => {
    const first = applied(
      identity,
      apply(
        identity,
        { ...identity, metadata: { name: "settings", annotations: { a: "1" } } },
        "hubfed",
      ),
    );
    const second = applied(first, apply(first, identity, "hubfed"));
    expect(second.metadata).toEqual({ name: "settings" });
  });
});

describe("recordUpdateOwnership", () => {
  it("gives changed fields to the writer and takes them from their previous owner", () => {
    const first = applied(
      identity,
      apply(identity, { ...identity, data: { a: "1", b: "2" } }, "hubfed"),
    );
    const next: JsonObject = { ...first, data: { a: "changed", b: "2" } };
    recordUpdateOwnership({ previous: first, next, manager: "kubectl-edit", now });
    const entries = (
      next.metadata as { managedFields: Array<{ manager: string; fieldsV1: unknown }> }
    ).managedFields;
    expect(entries.map((entry) => [entry.manager, entry.fieldsV1])).toEqual([
      ["hubfed", { "f:data": { "f:b": {} } }],
      ["kubectl-edit", { "f:data": { "f:a": {} } }],
    ]);
  });
});

describe("parseLabelSelector", () => {
  it("rejects malformed selectors", () => {
    expect(() => parseLabelSelector("a in (b")).toThrow(/invalid label selector/);
    expect(() => parseLabelSelector("a=b,,c")).toThrow(/invalid label selector/);
    expect(() => parseLabelSelector("a=b c")).toThrow(/unable to parse requirement/);
  });
});
