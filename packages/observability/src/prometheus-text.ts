/** One sample of a Prometheus text exposition: `name{labels} value`. */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const labelPair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of a Prometheus text exposition (format 0.0.4): what our tests read back from
 * /metrics and what metering reads from a JupyterHub's /hub/metrics. Comments and malformed
 * lines are skipped; label values are unescaped.
 */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const match = sampleLine.exec(line);
    if (!match) continue;
    const [, name, labelText, valueText] = match;
    const value = Number(
      valueText === "+Inf" ? Infinity : valueText === "-Inf" ? -Infinity : valueText,
    );
    if (Number.isNaN(value) && valueText !== "NaN") continue;
    const labels: Record<string, string> = {};
    for (const [, key, escaped] of (labelText ?? "").matchAll(labelPair))
      labels[key!] = escaped!.replace(/\\(["\\n])/g, (_, character: string) =>
        character === "n" ? "\n" : character,
      );
    samples.push({ name: name!, labels, value });
  }
  return samples;
}

/** The value of the sample named `name` whose labels include all of `labels`, if there is one. */
export function sampleValue(
  samples: readonly PrometheusSample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find(
    (sample) =>
      sample.name === name &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}
