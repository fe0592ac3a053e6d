export type PythonValue =
  | string
  | number
  | boolean
  | null
  | readonly PythonValue[]
  | { readonly [key: string]: PythonValue };

/**
 * A Python string literal for any text. JSON string escapes (\" \\ \n \uXXXX …) are all valid in
 * Python string literals; escaping everything outside printable ASCII as well keeps the file pure
 * ASCII, so no line separator, NUL or odd Unicode can end a line or a literal early.
 */
export function toPythonString(value: string): string {
  return JSON.stringify(value).replace(/[^\x20-\x7e]/gu, (character) => {
    const codePoint = character.codePointAt(0) ?? 0;
    // Python does not join \u surrogate pairs: characters beyond the BMP need \U.
    return codePoint > 0xffff
      ? `\\U${codePoint.toString(16).padStart(8, "0")}`
      : `\\u${codePoint.toString(16).padStart(4, "0")}`;
  });
}

/** A Python literal (str, int, float, bool, None, list, dict) for a JSON-like value. */
export function toPythonLiteral(value: PythonValue): string {
  if (typeof value === "string") return toPythonString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} into Python configuration`);
    return String(value);
  }
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value === null) return "None";
  if (isPythonList(value)) return `[${value.map(toPythonLiteral).join(", ")}]`;
  const entries = Object.entries(value).map(
    ([key, item]) => `${toPythonString(key)}: ${toPythonLiteral(item)}`,
  );
  return `{${entries.join(", ")}}`;
}

function isPythonList(value: PythonValue): value is readonly PythonValue[] {
  return Array.isArray(value);
}
