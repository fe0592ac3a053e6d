import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { testRedisUrl, useTestDatabase } from "@hubfed/db/testing";
import { repositoryRoot } from "./federation";

const database = useTestDatabase();

function runStart(
  environment: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("node", ["scripts/start.mjs"], {
      cwd: repositoryRoot,
      env: { ...process.env, ...environment },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("npm start", () => {
  it("stops on an invalid region file, naming the file and the field, and loads no region", async () => {
    const regionsDirectory = await mkdtemp(path.join(os.tmpdir(), "hubfed-regions-"));
    await cp(path.join(repositoryRoot, "regions"), regionsDirectory, { recursive: true });
    const file = path.join(regionsDirectory, "us-west", "region.yaml");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace(/ingressClass: \S+/, "ingressClass: 42"),
    );

    const { code, output } = await runStart({
      DATABASE_URL: database().url,
      REDIS_URL: testRedisUrl(),
      HUBFED_REGIONS_DIR: regionsDirectory,
      HUBFED_PORT: "3999",
    });

    expect(code).toBe(1);
    expect(output).toMatch(/us-west\/region\.yaml: clusters\[0\]\.kubernetes\.ingressClass: /);
    expect(output).not.toContain("Hubfed is running");
    expect(await database().db.region.count()).toBe(0);
    expect(await database().db.user.count()).toBe(0);
  }, 120_000);
});
