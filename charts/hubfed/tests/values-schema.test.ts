import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject } from "ajv";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { chartDirectory } from "./helm";

// values.schema.json is what Helm checks values against on install, upgrade, lint and template;
// these tests hold it to the values the chart ships and to mistakes an operator makes.
const schema = JSON.parse(
  readFileSync(path.join(chartDirectory, "values.schema.json"), "utf8"),
) as object;
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

function readValues(file: string): Record<string, unknown> {
  return parse(readFileSync(path.join(chartDirectory, file), "utf8")) as Record<string, unknown>;
}

const defaults = readValues("values.yaml");
const exampleFiles = readdirSync(path.join(chartDirectory, "examples")).map(
  (name) => `examples/${name}`,
);

/** Helm merges a values file over the defaults; maps merge key by key, lists are replaced. */
function mergeValues(base: unknown, override: unknown): unknown {
  if (
    typeof base !== "object" ||
    base === null ||
    Array.isArray(base) ||
    typeof override !== "object" ||
    override === null ||
    Array.isArray(override)
  )
    return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override))
    merged[key] = mergeValues(merged[key], value);
  return merged;
}

/** Where each problem is and what it is: "/worker/queues must match pattern …". */
function problemsOf(values: unknown): string[] {
  if (validate(values)) return [];
  // "must match then schema" only wraps the problems it found; those are listed themselves.
  const errors = (validate.errors ?? []).filter((error) => error.keyword !== "if");
  return errors.map((error: ErrorObject) => {
    const field =
      error.keyword === "required"
        ? `${error.instancePath}/${String(error.params.missingProperty)}`
        : error.keyword === "additionalProperties"
          ? `${error.instancePath}/${String(error.params.additionalProperty)}`
          : error.instancePath;
    return `${field} ${error.message ?? ""}`;
  });
}

function withChange(change: object): unknown {
  return mergeValues(defaults, change);
}

describe("the chart's values schema", () => {
  it("accepts the default values", () => {
    expect(problemsOf(defaults)).toEqual([]);
  });

  it.each(exampleFiles)("accepts %s over the defaults", (file) => {
    expect(exampleFiles.length).toBeGreaterThanOrEqual(2);
    expect(problemsOf(mergeValues(defaults, readValues(file)))).toEqual([]);
  });

  it("refuses a misspelt setting, naming it", () => {
    expect(problemsOf(withChange({ worker: { concurency: 8 } }))).toContain(
      "/worker/concurency must NOT have additional properties",
    );
  });

  it("refuses an unknown queue name", () => {
    expect(problemsOf(withChange({ worker: { queues: "grading,emails" } }))).toEqual([
      expect.stringMatching(/^\/worker\/queues must match pattern/),
    ]);
  });

  it("refuses a public URL with a path, which would break every callback and issuer URL", () => {
    expect(problemsOf(withChange({ publicUrl: "https://hubfed.example.org/" }))).toEqual([
      expect.stringMatching(/^\/publicUrl must match pattern/),
    ]);
  });

  it("asks for the database and Redis when the chart is to create the Secret", () => {
    // The defaults leave both empty.
    expect(problemsOf(withChange({ secrets: { existingSecret: "" } }))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/secrets\/databaseUrl must match pattern "\^postgres/),
        expect.stringMatching(/^\/secrets\/redisUrl must match pattern "\^rediss\?/),
      ]),
    );
    expect(
      problemsOf(
        withChange({
          secrets: {
            existingSecret: "",
            databaseUrl: "mysql://db/hubfed",
            redisUrl: "rediss://r:6380",
          },
        }),
      ),
    ).toEqual([expect.stringMatching(/^\/secrets\/databaseUrl must match pattern/)]);
  });

  it("refuses connection URLs in values beside an existing Secret (they would be ignored)", () => {
    expect(
      problemsOf(withChange({ secrets: { databaseUrl: "postgresql://db/hubfed" } })),
    ).toContain("/secrets/databaseUrl must be equal to constant");
  });

  it("refuses region files under a name that is not a region slug, and a ConfigMap without slugs", () => {
    expect(problemsOf(withChange({ regions: { files: { "US West": "slug: us-west" } } }))).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/regions\/files property name must be valid/),
      ]),
    );
    expect(problemsOf(withChange({ regions: { existingConfigMap: "hubfed-regions" } }))).toContain(
      "/regions/slugs must NOT have fewer than 1 items",
    );
  });
});
