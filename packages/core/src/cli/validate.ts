// `hubfed validate [--dir <regions directory>]`: the region files and every hub file beside them
// (regions/<region>/hubs/*.yaml, as the GitOps export writes them), with each hub's spec and its
// generated Zero to JupyterHub values checked against the vendored chart schema. Exits non-zero
// with one line per problem, naming the file and the field.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { formatFederationProblems, validateFederationDirectory } from "../gitops";

const defaultRegionsDirectory = fileURLToPath(new URL("../../../../regions", import.meta.url));

export async function runValidateCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { dir: { type: "string" } },
  });
  const regionsDirectory = values.dir
    ? path.resolve(process.env.INIT_CWD ?? process.cwd(), values.dir)
    : defaultRegionsDirectory;
  const result = await validateFederationDirectory(regionsDirectory);
  if (result.problems.length > 0) {
    const count = result.problems.length === 1 ? "1 problem" : `${result.problems.length} problems`;
    throw new Error(`Invalid (${count}):\n${formatFederationProblems(result.problems)}`);
  }
  console.log(`OK: ${result.regionCount} region(s) and ${result.hubCount} hub(s) valid`);
}
