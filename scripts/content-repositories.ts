// Course material for the demo and the end-to-end tests, without the
// internet: the fake GitHub REST API (what the portal checks content links
// against) and a git smart-HTTP server (`git http-backend`) holding the same
// repositories as real git repositories (what nbgitpuller clones). Local
// hubs reach the second for https://github.com/… through git's own
// `url.<base>.insteadOf` setting, passed as GIT_CONFIG_* variables.
import { execFile, spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { demoLabFiles } from "@hubfed/core";
import { startFakeGitHub } from "@hubfed/github/fake-server";

const execFileAsync = promisify(execFile);

export interface ContentRepository {
  owner: string;
  name: string;
  branch: string;
  files: Record<string, string>;
}

const notebook = (title: string, code: string[] = []) =>
  JSON.stringify({
    cells: [
      { cell_type: "markdown", metadata: {}, source: [`# ${title}`] },
      ...code.map((source) => ({
        cell_type: "code",
        metadata: {},
        execution_count: null,
        outputs: [],
        source: [source],
      })),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  });

/** The demo courses' material (on their allow-lists: github.com/westvalley-data, github.com/cascade-cs). */
export const demoContentRepositories: ContentRepository[] = [
  {
    owner: "westvalley-data",
    name: "labs",
    branch: "main",
    files: {
      "README.md": "# DATA 101 labs\n",
      "lab01/lab01.ipynb": notebook("Lab 1: tables"),
      "lab02/lab02.ipynb": notebook("Lab 2: charts"),
    },
  },
  {
    owner: "cascade-cs",
    name: "cs120",
    branch: "main",
    files: {
      "week1/intro.ipynb": notebook("CS 120, week 1", [
        "# Run this cell with Shift-Enter.\nprices = [3.5, 2.25, 4.0]\nsum(prices) / len(prices)",
      ]),
      // Lab 1, in the layout Otter uses: the notebook with its tests/ beside it.
      ...demoLabFiles,
    },
  },
];

export interface ContentRepositoryServers {
  /** For the portal and the worker. */
  environment: Record<string, string>;
  stop(): Promise<void>;
}

async function createBareRepository(root: string, repository: ContentRepository): Promise<void> {
  const work = await mkdtemp(path.join(os.tmpdir(), "hubfed-content-"));
  try {
    for (const [file, content] of Object.entries(repository.files)) {
      await mkdir(path.dirname(path.join(work, file)), { recursive: true });
      await writeFile(path.join(work, file), content);
    }
    const git = (cwd: string, ...args: string[]) => execFileAsync("git", args, { cwd });
    await git(work, "init", "--quiet", `--initial-branch=${repository.branch}`);
    await git(work, "add", ".");
    await git(
      work,
      "-c",
      "user.name=Hubfed demo",
      "-c",
      "user.email=demo@hubfed.example",
      "commit",
      "--quiet",
      "-m",
      "Course material",
    );
    const bare = path.join(root, repository.owner, repository.name);
    await mkdir(path.dirname(bare), { recursive: true });
    await execFileAsync("git", ["clone", "--quiet", "--bare", work, bare]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Serves bare repositories under `root` over git's smart HTTP protocol (clone, fetch; no push). */
function serveGitOverHttp(root: string) {
  return createServer((request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    if (url.pathname.includes("..") || url.pathname.endsWith("/git-receive-pack")) {
      response.writeHead(403).end();
      return;
    }
    const backend = spawn("git", ["http-backend"], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: request.method ?? "GET",
        CONTENT_TYPE: request.headers["content-type"] ?? "",
        HTTP_CONTENT_ENCODING: request.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(request.headers["git-protocol"] ?? ""),
        REMOTE_ADDR: request.socket.remoteAddress ?? "",
      },
    });
    request.pipe(backend.stdin);
    // CGI: headers, a blank line, then the body.
    let buffered = Buffer.alloc(0);
    let isBody = false;
    backend.stdout.on("data", (chunk: Buffer) => {
      if (isBody) {
        response.write(chunk);
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end === -1) return;
      isBody = true;
      let status = 200;
      for (const line of buffered.subarray(0, end).toString().split("\r\n")) {
        const separator = line.indexOf(":");
        const name = line.slice(0, separator).trim();
        const value = line.slice(separator + 1).trim();
        if (name.toLowerCase() === "status") status = Number(value.split(" ")[0]);
        else response.setHeader(name, value);
      }
      response.writeHead(status);
      response.write(buffered.subarray(end + 4));
    });
    backend.on("close", () => response.end());
    backend.on("error", () => response.destroy());
  });
}

/** Starts both servers with the given repositories; `stop()` removes everything. */
export async function startContentRepositoryServers(
  repositories: ContentRepository[] = demoContentRepositories,
): Promise<ContentRepositoryServers> {
  const root = await mkdtemp(path.join(os.tmpdir(), "hubfed-git-"));
  for (const repository of repositories) await createBareRepository(root, repository);
  const github = await startFakeGitHub({ host: "127.0.0.1" });
  for (const repository of repositories)
    github.createRepository({
      owner: repository.owner,
      name: repository.name,
      defaultBranch: repository.branch,
      files: repository.files,
    });
  const gitServer = serveGitOverHttp(root);
  await new Promise<void>((resolve) => gitServer.listen(0, "127.0.0.1", resolve));
  const gitUrl = `http://127.0.0.1:${(gitServer.address() as AddressInfo).port}/`;
  return {
    environment: {
      HUBFED_GITHUB_API_URL: github.url,
      // Inherited by local hubs and handed on to their users' servers: nbgitpuller's
      // `git clone https://github.com/<owner>/<name>` reaches the local copy.
      GIT_CONFIG_COUNT: "1",
      GIT_CONFIG_KEY_0: `url.${gitUrl}.insteadOf`,
      GIT_CONFIG_VALUE_0: "https://github.com/",
    },
    async stop() {
      await github.stop();
      await new Promise<void>((resolve) => gitServer.close(() => resolve()));
      await rm(root, { recursive: true, force: true });
    },
  };
}
