import { describe, expect, it } from "vitest";
import { parsePrometheusText, sampleValue } from "./prometheus-text";

describe("reading Prometheus text", () => {
  const text = [
    "# HELP jupyterhub_active_users number of users who were active in the given time period",
    "# TYPE jupyterhub_active_users gauge",
    'jupyterhub_active_users{period="24h"} 7.0',
    'jupyterhub_active_users{period="7d"} 9.0',
    'jupyterhub_server_spawn_duration_seconds_bucket{le="+Inf",status="success"} 4.0',
    'jupyterhub_server_spawn_duration_seconds_sum{status="success"} 6.25',
    'odd_label{path="a \\"quoted\\" \\\\ value"} 1 1700000000000',
    "garbage line without value",
    "up 1",
  ].join("\n");

  it("reads names, labels in any order, and values", () => {
    const samples = parsePrometheusText(text);
    expect(sampleValue(samples, "jupyterhub_active_users", { period: "24h" })).toBe(7);
    expect(sampleValue(samples, "jupyterhub_active_users", { period: "7d" })).toBe(9);
    expect(
      sampleValue(samples, "jupyterhub_server_spawn_duration_seconds_bucket", {
        status: "success",
        le: "+Inf",
      }),
    ).toBe(4);
    expect(sampleValue(samples, "jupyterhub_server_spawn_duration_seconds_sum")).toBe(6.25);
    expect(sampleValue(samples, "up")).toBe(1);
  });

  it("unescapes label values and skips what is not a sample", () => {
    const samples = parsePrometheusText(text);
    expect(samples.find((sample) => sample.name === "odd_label")?.labels.path).toBe(
      'a "quoted" \\ value',
    );
    expect(samples.some((sample) => sample.name === "garbage")).toBe(false);
    expect(sampleValue(samples, "jupyterhub_active_users", { period: "30d" })).toBeUndefined();
  });
});
