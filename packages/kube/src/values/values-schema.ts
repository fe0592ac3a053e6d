import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { parse as parseYaml } from "yaml";
import { isJsonObject, type JsonObject, type JsonValue } from "../json";
import { Z2JH_CHART_VERSION } from "../manifests/types";

/**
 * The chart's values schema, as the pinned chart version ships it: the
 * package's own verbatim copy (origin, version and licence in
 * `packages/kube/schemas/README.md`), so a clone, an image or a CI runner
 * validates with nothing beside the repository.
 */
export const DEFAULT_Z2JH_VALUES_SCHEMA_PATH = fileURLToPath(
  new URL(`../../schemas/z2jh-values-${Z2JH_CHART_VERSION}.schema.yaml`, import.meta.url),
);

export interface ValuesProblem {
  /** JSON pointer into the values, e.g. `/singleuser/memory`; `/` for the root. */
  path: string;
  /** The schema's message, with the offending key for unknown keys. */
  message: string;
}

export interface ValuesValidation {
  isValid: boolean;
  problems: ValuesProblem[];
}

const validatorsByPath = new Map<string, ValidateFunction>();

/**
 * Helm validates the chart's defaults merged with the given values; Hubfed
 * generates overrides only. Maps merge deeply in Helm, so every object
 * reached from the root through `properties` exists in the defaults, and the
 * defaults satisfy its `required` keys (REFERENCE §3). Those `required`
 * lists are dropped; everything else stays, including `required` inside list
 * items, free-form maps (`hub.services.<name>`) and conditionals, where
 * nothing is merged in and the overrides must be complete on their own.
 */
export function relaxRequiredAlongDefaults(schema: JsonObject): JsonObject {
  // A JSON copy: YAML aliases parse into shared objects, which must not be edited in place.
  const copy = JSON.parse(JSON.stringify(schema)) as JsonObject;
  const visit = (node: JsonObject) => {
    delete node.required;
    const properties = node.properties;
    if (!isJsonObject(properties)) return;
    for (const child of Object.values(properties)) {
      if (isJsonObject(child)) visit(child);
    }
  };
  visit(copy);
  return copy;
}

export function loadValuesSchema(schemaPath: string = DEFAULT_Z2JH_VALUES_SCHEMA_PATH): JsonObject {
  let text: string;
  try {
    text = readFileSync(schemaPath, "utf8");
  } catch (error) {
    throw new Error(
      `Cannot read the Zero to JupyterHub values schema at ${schemaPath}; it ships with @hubfed/kube (schemas/), or pass another path`,
      { cause: error },
    );
  }
  const schema = parseYaml(text, { maxAliasCount: -1 }) as JsonValue;
  if (!isJsonObject(schema)) throw new Error(`${schemaPath} is not a JSON schema object`);
  return schema;
}

function compileValidator(schemaPath: string): ValidateFunction {
  const cached = validatorsByPath.get(schemaPath);
  if (cached) return cached;
  // strict: false — the chart's schema carries keywords ajv's strict mode
  // rejects (e.g. `required` next to no `properties`), as helm accepts them.
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validator = ajv.compile(relaxRequiredAlongDefaults(loadValuesSchema(schemaPath)));
  validatorsByPath.set(schemaPath, validator);
  return validator;
}

function describeProblem(error: ErrorObject): ValuesProblem {
  const path = error.instancePath === "" ? "/" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const detail =
    typeof params.additionalProperty === "string"
      ? `: "${params.additionalProperty}"`
      : Array.isArray(params.allowedValues)
        ? `: ${params.allowedValues.map((value) => JSON.stringify(value)).join(", ")}`
        : "";
  return { path, message: `${error.message ?? "is invalid"}${detail}` };
}

/** Validates generated values against the chart's values schema (draft-07, via ajv). */
export function validateHubValues(
  values: unknown,
  options: { schemaPath?: string } = {},
): ValuesValidation {
  const validator = compileValidator(options.schemaPath ?? DEFAULT_Z2JH_VALUES_SCHEMA_PATH);
  const isValid = validator(values);
  const problems = isValid ? [] : (validator.errors ?? []).map(describeProblem);
  const unique = [
    ...new Map(problems.map((problem) => [`${problem.path} ${problem.message}`, problem])).values(),
  ];
  return { isValid, problems: unique };
}

export function formatValuesProblems(problems: ValuesProblem[]): string {
  return problems.map((problem) => `${problem.path} ${problem.message}`).join("; ");
}
