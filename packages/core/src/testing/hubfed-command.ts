import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const repositoryRoot = path.resolve(import.meta.dirname, "../../../..");
const binDirectory = path.join(repositoryRoot, "node_modules/.bin");

export interface HubfedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the `hubfed` command as an operator does (the bin npm links, whose `#!/usr/bin/env tsx`
 * finds tsx on PATH), whoever started the tests.
 */
export async function runHubfedCommand(
  args: string[],
  environment: Record<string, string | undefined> = {},
): Promise<HubfedRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(binDirectory, "hubfed"), args, {
      env: {
        ...process.env,
        ...environment,
        PATH: `${binDirectory}${path.delimiter}${process.env.PATH ?? ""}`,
      },
    });
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      exitCode: typeof failed.code === "number" ? failed.code : 1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? String(error),
    };
  }
}
