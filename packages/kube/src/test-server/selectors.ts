import { isJsonObject, readPath, type JsonObject, type JsonValue } from "../json";
import { badRequestError } from "./api-errors";

/**
 * Label selectors as the API server parses them (`labelSelector=` query):
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a`.
 * Requirements are ANDed.
 */
export type LabelRequirement =
  | { key: string; operator: "in" | "notin"; values: string[] }
  | { key: string; operator: "exists" | "doesNotExist" };

export type LabelSelector = LabelRequirement[];

const labelKeyPattern = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;
const labelValuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function parseLabelSelector(text: string | null | undefined): LabelSelector {
  if (!text || text.trim() === "") return [];
  return splitOutsideParentheses(text).map(parseLabelRequirement);
}

function splitOutsideParentheses(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const character of text) {
    if (character === "(") depth += 1;
    if (character === ")") depth -= 1;
    if (character === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else {
      current += character;
    }
  }
  parts.push(current.trim());
  if (depth !== 0 || parts.some((part) => part === "")) {
    throw badRequestError(`unable to parse requirement: invalid label selector "${text}"`);
  }
  return parts;
}

function parseLabelRequirement(text: string): LabelRequirement {
  const setMatch = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (setMatch) {
    const [, key = "", operator, valueList = ""] = setMatch;
    const values = valueList
      .split(",")
      .map((value) => value.trim())
      .filter((value) => value !== "");
    values.forEach((value) => assertLabelValue(value, text));
    return { key: checkedKey(key, text), operator: operator === "in" ? "in" : "notin", values };
  }
  const equalityMatch = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (equalityMatch) {
    const [, key = "", operator, value = ""] = equalityMatch;
    assertLabelValue(value, text);
    return {
      key: checkedKey(key, text),
      operator: operator === "!=" ? "notin" : "in",
      values: [value],
    };
  }
  if (text.startsWith("!"))
    return { key: checkedKey(text.slice(1).trim(), text), operator: "doesNotExist" };
  return { key: checkedKey(text, text), operator: "exists" };
}

function checkedKey(key: string, requirement: string): string {
  if (!labelKeyPattern.test(key)) {
    throw badRequestError(
      `unable to parse requirement: invalid label key "${key}" in "${requirement}"`,
    );
  }
  return key;
}

function assertLabelValue(value: string, requirement: string): void {
  if (!labelValuePattern.test(value) || value.length > 63) {
    throw badRequestError(
      `unable to parse requirement: invalid label value "${value}" in "${requirement}"`,
    );
  }
}

export function matchesLabelSelector(object: JsonObject, selector: LabelSelector): boolean {
  const labels = readPath(object, ["metadata", "labels"]);
  const labelMap = isJsonObject(labels) ? labels : {};
  return selector.every((requirement) => {
    const value = labelMap[requirement.key];
    const hasLabel = typeof value === "string";
    switch (requirement.operator) {
      case "exists":
        return hasLabel;
      case "doesNotExist":
        return !hasLabel;
      case "in":
        return hasLabel && requirement.values.includes(value);
      case "notin":
        return !hasLabel || !requirement.values.includes(value);
    }
  });
}

/**
 * Field selectors (`fieldSelector=`): `path=value`, `path==value`,
 * `path!=value` over dotted paths such as `metadata.name` or `status.phase`.
 * More lenient than a real server, which allows only a few fields per kind.
 */
export interface FieldRequirement {
  path: string[];
  isNegated: boolean;
  value: string;
}

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text || text.trim() === "") return [];
  return text.split(",").map((part) => {
    const match = /^\s*([A-Za-z0-9_.]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(part);
    if (!match) throw badRequestError(`invalid field selector "${text}"`);
    const [, path = "", operator, value = ""] = match;
    return { path: path.split("."), isNegated: operator === "!=", value };
  });
}

export function matchesFieldSelector(object: JsonObject, selector: FieldRequirement[]): boolean {
  return selector.every(({ path, isNegated, value }) => {
    const actual = readPath(object, path);
    const actualText =
      typeof actual === "string" || typeof actual === "number" || typeof actual === "boolean"
        ? String(actual)
        : "";
    return (actualText === value) !== isNegated;
  });
}

/** A metav1.LabelSelector as the string form Scale.status.selector carries. */
export function formatLabelSelector(selector: JsonValue | undefined): string {
  if (!isJsonObject(selector)) return "";
  const requirements: string[] = [];
  const matchLabels = isJsonObject(selector.matchLabels) ? selector.matchLabels : {};
  for (const [key, value] of Object.entries(matchLabels)) {
    if (typeof value === "string") requirements.push(`${key}=${value}`);
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (const expression of expressions.filter(isJsonObject)) {
    const key = typeof expression.key === "string" ? expression.key : "";
    const values = Array.isArray(expression.values)
      ? expression.values.filter((value): value is string => typeof value === "string")
      : [];
    if (expression.operator === "In") requirements.push(`${key} in (${values.join(",")})`);
    if (expression.operator === "NotIn") requirements.push(`${key} notin (${values.join(",")})`);
    if (expression.operator === "Exists") requirements.push(key);
    if (expression.operator === "DoesNotExist") requirements.push(`!${key}`);
  }
  return requirements.join(",");
}
