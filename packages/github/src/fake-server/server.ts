import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type AddressInfo } from "node:net";
import { FILE_MODE, GitObjectStore, type FlatEntry } from "./git-store";

// A local GitHub REST API over real HTTP, in memory: the subset Hubfed uses
// (repositories, branches, contents, the git data API and pull requests),
// answering with GitHub's shapes, status codes and error bodies, so Octokit
// in the tests talks to it exactly as it would to api.github.com.

export interface FakeGitHubOptions {
  /** The token clients must send; a different one gets 401 Bad credentials. */
  token?: string;
  port?: number;
  host?: string;
}

export interface FakePullRequest {
  number: number;
  title: string;
  body: string | null;
  head: string;
  base: string;
  state: "open" | "closed";
  isMerged: boolean;
}

/** Requests by route ("POST /repos/{owner}/{repo}/git/trees"), for "no API writes" assertions. */
export interface FakeGitHubCounters {
  requests: number;
  /** Requests that are not GET, whatever their answer. */
  writes: number;
  byRoute: Record<string, number>;
}

export interface FakeGitHubServer {
  url: string;
  readonly counters: Readonly<FakeGitHubCounters>;
  resetCounters(): void;
  createRepository(input: {
    owner: string;
    name: string;
    defaultBranch?: string;
    isPrivate?: boolean;
    files?: Record<string, string>;
  }): void;
  createBranch(owner: string, repo: string, branch: string, fromBranch: string): void;
  /** Commits straight to a branch (someone pushing): files to write, and paths to remove. */
  commitFiles(
    owner: string,
    repo: string,
    branch: string,
    change: { files?: Record<string, string>; deletions?: string[]; message?: string },
  ): string;
  /** The files of a branch or commit, path → UTF-8 text. */
  readFiles(owner: string, repo: string, ref: string): Record<string, string>;
  /** First-parent history of a branch, newest first, as commit messages with ids. */
  listCommits(owner: string, repo: string, branch: string): Array<{ sha: string; message: string }>;
  branchSha(owner: string, repo: string, branch: string): string | undefined;
  listPullRequests(owner: string, repo: string): FakePullRequest[];
  /** Merges an open pull request into its base as a merge commit and closes it. */
  mergePullRequest(owner: string, repo: string, number: number): void;
  stop(): Promise<void>;
}

interface Repository {
  owner: string;
  name: string;
  defaultBranch: string;
  isPrivate: boolean;
  id: number;
  git: GitObjectStore;
  branches: Map<string, string>;
  pulls: FakePullRequest[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: unknown[],
  ) {
    super(message);
  }
}

const notFound = () => new HttpError(404, "Not Found");
const documentationUrl = "https://docs.github.com/rest";

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHubServer> {
  const repositories = new Map<string, Repository>();
  const counters: FakeGitHubCounters = { requests: 0, writes: 0, byRoute: {} };
  let nextRepositoryId = 1;
  let url = "";

  const key = (owner: string, repo: string) => `${owner}/${repo}`.toLowerCase();
  const repositoryOf = (owner: string, repo: string) => {
    const found = repositories.get(key(owner, repo));
    if (!found) throw new Error(`no repository ${owner}/${repo}`);
    return found;
  };
  const commitOf = (repository: Repository, sha: string) => {
    const commit = repository.git.get(sha);
    return commit?.type === "commit" ? commit : undefined;
  };
  const resolveRef = (repository: Repository, ref: string) =>
    repository.branches.get(ref) ?? (commitOf(repository, ref) ? ref : undefined);

  function commitOnto(
    repository: Repository,
    parent: string | undefined,
    files: Map<string, FlatEntry>,
    message: string,
  ): string {
    const tree = repository.git.buildTree(files);
    return repository.git.putCommit(tree, parent ? [parent] : [], message);
  }

  function filesAt(repository: Repository, sha: string): Map<string, FlatEntry> {
    const commit = commitOf(repository, sha);
    if (!commit) throw new Error(`no commit ${sha}`);
    return repository.git.flatten(commit.tree);
  }

  // ── HTTP ────────────────────────────────────────────────────────────────

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const failure =
        error instanceof HttpError ? error : new HttpError(500, `fake GitHub: ${String(error)}`);
      writeJson(response, failure.status, {
        message: failure.message,
        ...(failure.errors ? { errors: failure.errors } : {}),
        documentation_url: documentationUrl,
        status: String(failure.status),
      });
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? "GET";
    const parsed = new URL(request.url ?? "/", "http://fake-github");
    // GitHub reads an encoded slash in a ref or path ("heads%2Fmain") as a slash.
    const segments = decodeURIComponent(parsed.pathname)
      .split("/")
      .filter((segment) => segment !== "");
    const route = describeRoute(method, segments);
    counters.requests += 1;
    if (method !== "GET") counters.writes += 1;
    counters.byRoute[route] = (counters.byRoute[route] ?? 0) + 1;

    const isAuthenticated = authenticate(request);
    const body = method === "GET" ? {} : await readJson(request);
    if (segments[0] !== "repos" || segments.length < 3) throw notFound();
    const repository = repositories.get(key(segments[1] ?? "", segments[2] ?? ""));
    // Like GitHub: a private repository is indistinguishable from a missing one without access.
    if (!repository || (repository.isPrivate && !isAuthenticated)) throw notFound();
    if (method !== "GET" && !isAuthenticated) throw new HttpError(401, "Requires authentication");
    const rest = segments.slice(3);
    const answer = answerRepositoryRequest(repository, method, rest, parsed.searchParams, body);
    writeJson(response, answer.status, answer.body);
  }

  function authenticate(request: IncomingMessage): boolean {
    const header = request.headers.authorization;
    if (header === undefined) return false;
    const token = header.replace(/^(token|bearer)\s+/i, "");
    if (options.token === undefined || token !== options.token)
      throw new HttpError(401, "Bad credentials");
    return true;
  }

  function answerRepositoryRequest(
    repository: Repository,
    method: string,
    rest: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): { status: number; body: unknown } {
    const [resource, ...tail] = rest;
    if (resource === undefined && method === "GET")
      return { status: 200, body: repositoryJson(repository) };
    if (resource === "branches" && method === "GET" && tail.length > 0) {
      const name = tail.join("/");
      const sha = repository.branches.get(name);
      if (!sha) throw new HttpError(404, "Branch not found");
      return {
        status: 200,
        body: {
          name,
          commit: { sha, url: `${url}/repos/${fullName(repository)}/commits/${sha}` },
          protected: false,
        },
      };
    }
    if (resource === "contents" && method === "GET") return getContents(repository, tail, query);
    if (resource === "git") return gitData(repository, method, tail, query, body);
    if (resource === "pulls") return pulls(repository, method, tail, query, body);
    throw notFound();
  }

  function getContents(repository: Repository, tail: string[], query: URLSearchParams) {
    const ref = query.get("ref") ?? repository.defaultBranch;
    const sha = resolveRef(repository, ref);
    if (!sha) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const commit = commitOf(repository, sha);
    if (!commit) throw notFound();
    const path = tail.join("/");
    const entry = repository.git.resolvePath(commit.tree, path);
    if (!entry) throw notFound();
    const describe = (name: string, entryPath: string, type: string, entrySha: string) => ({
      type: type === "tree" ? "dir" : "file",
      name,
      path: entryPath,
      sha: entrySha,
      url: `${url}/repos/${fullName(repository)}/contents/${entryPath}?ref=${ref}`,
    });
    if (entry.type === "tree") {
      const tree = repository.git.get(entry.sha);
      if (tree?.type !== "tree") throw notFound();
      return {
        status: 200,
        body: tree.entries.map((child) =>
          describe(
            child.name,
            path === "" ? child.name : `${path}/${child.name}`,
            child.type,
            child.sha,
          ),
        ),
      };
    }
    const blob = repository.git.get(entry.sha);
    if (blob?.type !== "blob") throw notFound();
    return {
      status: 200,
      body: {
        ...describe(entry.name, path, "blob", entry.sha),
        size: blob.content.byteLength,
        encoding: "base64",
        content: blob.content.toString("base64"),
      },
    };
  }

  function gitData(
    repository: Repository,
    method: string,
    tail: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): { status: number; body: unknown } {
    const [kind, ...rest] = tail;
    const base = `${url}/repos/${fullName(repository)}/git`;
    // GET /git/ref/heads/{branch}, POST /git/refs, PATCH /git/refs/heads/{branch}
    if ((kind === "ref" && method === "GET") || (kind === "refs" && method === "PATCH")) {
      if (rest[0] !== "heads") throw notFound();
      const branch = rest.slice(1).join("/");
      const current = repository.branches.get(branch);
      if (!current)
        throw new HttpError(
          kind === "ref" ? 404 : 422,
          kind === "ref" ? "Not Found" : "Reference does not exist",
        );
      if (method === "PATCH") {
        const sha = requireString(body, "sha");
        if (!commitOf(repository, sha)) throw new HttpError(422, "Object does not exist");
        if (body.force !== true && !isAncestor(repository, current, sha))
          throw new HttpError(422, "Update is not a fast forward");
        repository.branches.set(branch, sha);
      }
      return { status: 200, body: refJson(base, branch, repository.branches.get(branch) ?? "") };
    }
    if (kind === "refs" && method === "POST" && rest.length === 0) {
      const ref = requireString(body, "ref");
      const sha = requireString(body, "sha");
      if (!ref.startsWith("refs/heads/") || ref.split("/").length < 3)
        throw new HttpError(422, "Reference name is not valid");
      const branch = ref.slice("refs/heads/".length);
      if (repository.branches.has(branch)) throw new HttpError(422, "Reference already exists");
      if (!commitOf(repository, sha)) throw new HttpError(422, "Object does not exist");
      repository.branches.set(branch, sha);
      return { status: 201, body: refJson(base, branch, sha) };
    }
    if (kind === "blobs" && method === "POST" && rest.length === 0) {
      const content = requireString(body, "content");
      const encoding = body.encoding ?? "utf-8";
      if (encoding !== "utf-8" && encoding !== "base64")
        throw new HttpError(422, `encoding ${JSON.stringify(encoding)} is not supported`);
      const sha = repository.git.putBlob(
        Buffer.from(content, encoding === "base64" ? "base64" : "utf8"),
      );
      return { status: 201, body: { sha, url: `${base}/blobs/${sha}` } };
    }
    if (kind === "trees" && method === "GET" && rest.length === 1) {
      const sha = rest[0] ?? "";
      const tree = repository.git.get(sha);
      if (tree?.type !== "tree") throw notFound();
      const isRecursive = query.has("recursive");
      const entries = isRecursive
        ? listRecursive(repository, sha)
        : tree.entries.map((entry) => ({
            path: entry.name,
            mode: entry.mode,
            type: entry.type,
            sha: entry.sha,
          }));
      return {
        status: 200,
        body: { sha, url: `${base}/trees/${sha}`, tree: entries, truncated: false },
      };
    }
    if (kind === "trees" && method === "POST" && rest.length === 0)
      return createTree(repository, base, body);
    if (kind === "commits" && method === "GET" && rest.length === 1) {
      const sha = rest[0] ?? "";
      const commit = commitOf(repository, sha);
      if (!commit) throw notFound();
      return { status: 200, body: commitJson(base, sha, commit) };
    }
    if (kind === "commits" && method === "POST" && rest.length === 0) {
      const message = requireString(body, "message");
      const tree = requireString(body, "tree");
      const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
      if (repository.git.get(tree)?.type !== "tree")
        throw new HttpError(422, "Tree SHA does not exist");
      for (const parent of parents)
        if (!commitOf(repository, parent))
          throw new HttpError(422, "Parent SHA does not exist or is not a commit object");
      const sha = repository.git.putCommit(tree, parents, message);
      const commit = commitOf(repository, sha);
      return { status: 201, body: commit ? commitJson(base, sha, commit) : {} };
    }
    throw notFound();
  }

  function listRecursive(repository: Repository, treeSha: string, prefix = ""): unknown[] {
    const tree = repository.git.get(treeSha);
    if (tree?.type !== "tree") return [];
    return tree.entries.flatMap((entry) => {
      const path = `${prefix}${entry.name}`;
      const item = { path, mode: entry.mode, type: entry.type, sha: entry.sha };
      return entry.type === "tree"
        ? [item, ...listRecursive(repository, entry.sha, `${path}/`)]
        : [item];
    });
  }

  function createTree(repository: Repository, base: string, body: Record<string, unknown>) {
    const entries = body.tree;
    if (!Array.isArray(entries))
      throw new HttpError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.');
    const files =
      typeof body.base_tree === "string"
        ? (() => {
            const baseTree = repository.git.get(body.base_tree);
            if (baseTree?.type !== "tree")
              throw new HttpError(422, "base_tree is not a valid tree oid");
            return repository.git.flatten(body.base_tree);
          })()
        : new Map<string, FlatEntry>();
    for (const raw of entries as Array<Record<string, unknown>>) {
      const path = requireString(raw, "path");
      if (path.startsWith("/") || path.endsWith("/") || path.split("/").includes(".."))
        throw new HttpError(422, `tree.path ${path} is not valid`);
      if (raw.type !== "blob")
        throw new HttpError(422, "only blob entries are supported by the fake");
      const mode = typeof raw.mode === "string" ? raw.mode : FILE_MODE;
      if (raw.sha === null) {
        files.delete(path);
        continue;
      }
      if (typeof raw.content === "string") {
        files.set(path, { mode, sha: repository.git.putBlob(Buffer.from(raw.content, "utf8")) });
        continue;
      }
      const sha = requireString(raw, "sha");
      if (repository.git.get(sha)?.type !== "blob")
        throw new HttpError(422, `tree.sha ${sha} is not a valid blob`);
      files.set(path, { mode, sha });
    }
    const sha = repository.git.buildTree(files);
    return {
      status: 201,
      body: {
        sha,
        url: `${base}/trees/${sha}`,
        tree: [...files].map(([path, entry]) => ({
          path,
          mode: entry.mode,
          type: "blob",
          sha: entry.sha,
        })),
        truncated: false,
      },
    };
  }

  function pulls(
    repository: Repository,
    method: string,
    tail: string[],
    query: URLSearchParams,
    body: Record<string, unknown>,
  ): { status: number; body: unknown } {
    if (tail.length === 0 && method === "GET") {
      const state = query.get("state") ?? "open";
      const head = query.get("head");
      const baseBranch = query.get("base");
      const selected = repository.pulls.filter(
        (pull) =>
          (state === "all" || pull.state === state) &&
          (head === null ||
            `${repository.owner}:${pull.head}`.toLowerCase() === head.toLowerCase()) &&
          (baseBranch === null || pull.base === baseBranch),
      );
      return { status: 200, body: selected.map((pull) => pullJson(repository, pull)) };
    }
    if (tail.length === 0 && method === "POST") {
      const title = requireString(body, "title");
      const headInput = requireString(body, "head");
      const baseBranch = requireString(body, "base");
      const head = headInput.includes(":")
        ? headInput.slice(headInput.indexOf(":") + 1)
        : headInput;
      const headSha = repository.branches.get(head);
      const baseSha = repository.branches.get(baseBranch);
      if (!headSha || !baseSha)
        throw new HttpError(422, "Validation Failed", [
          { resource: "PullRequest", field: headSha ? "base" : "head", code: "invalid" },
        ]);
      if (
        repository.pulls.some(
          (pull) => pull.state === "open" && pull.head === head && pull.base === baseBranch,
        )
      )
        throw new HttpError(422, "Validation Failed", [
          {
            resource: "PullRequest",
            code: "custom",
            message: `A pull request already exists for ${repository.owner}:${head}.`,
          },
        ]);
      if (isAncestor(repository, headSha, baseSha))
        throw new HttpError(422, "Validation Failed", [
          {
            resource: "PullRequest",
            code: "custom",
            message: `No commits between ${baseBranch} and ${head}`,
          },
        ]);
      const pull: FakePullRequest = {
        number: repository.pulls.length + 1,
        title,
        body: typeof body.body === "string" ? body.body : null,
        head,
        base: baseBranch,
        state: "open",
        isMerged: false,
      };
      repository.pulls.push(pull);
      return { status: 201, body: pullJson(repository, pull) };
    }
    const pull = repository.pulls.find((candidate) => String(candidate.number) === tail[0]);
    if (!pull || tail.length !== 1) throw notFound();
    if (method === "GET") return { status: 200, body: pullJson(repository, pull) };
    if (method === "PATCH") {
      if (typeof body.title === "string") pull.title = body.title;
      if (typeof body.body === "string") pull.body = body.body;
      if (body.state === "open" || body.state === "closed") pull.state = body.state;
      return { status: 200, body: pullJson(repository, pull) };
    }
    throw notFound();
  }

  /** Whether `ancestor` is reachable from `descendant` (or equal). */
  function isAncestor(repository: Repository, ancestor: string, descendant: string): boolean {
    const queue = [descendant];
    const seen = new Set<string>();
    while (queue.length > 0) {
      const sha = queue.shift() ?? "";
      if (sha === ancestor) return true;
      if (seen.has(sha)) continue;
      seen.add(sha);
      queue.push(...(commitOf(repository, sha)?.parents ?? []));
    }
    return false;
  }

  const fullName = (repository: Repository) => `${repository.owner}/${repository.name}`;
  const htmlBase = () => url.replace("http://", "http://html.");

  function repositoryJson(repository: Repository) {
    return {
      id: repository.id,
      name: repository.name,
      full_name: fullName(repository),
      owner: { login: repository.owner },
      private: repository.isPrivate,
      default_branch: repository.defaultBranch,
      html_url: `${htmlBase()}/${fullName(repository)}`,
    };
  }

  function pullJson(repository: Repository, pull: FakePullRequest) {
    return {
      number: pull.number,
      state: pull.state,
      title: pull.title,
      body: pull.body,
      merged: pull.isMerged,
      html_url: `${htmlBase()}/${fullName(repository)}/pull/${pull.number}`,
      head: {
        ref: pull.head,
        sha: repository.branches.get(pull.head) ?? null,
        label: `${repository.owner}:${pull.head}`,
      },
      base: {
        ref: pull.base,
        sha: repository.branches.get(pull.base) ?? null,
        label: `${repository.owner}:${pull.base}`,
      },
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    counters,
    resetCounters() {
      counters.requests = 0;
      counters.writes = 0;
      counters.byRoute = {};
    },
    createRepository({ owner, name, defaultBranch = "main", isPrivate = false, files = {} }) {
      const repository: Repository = {
        owner,
        name,
        defaultBranch,
        isPrivate,
        id: nextRepositoryId++,
        git: new GitObjectStore(),
        branches: new Map(),
        pulls: [],
      };
      const entries = new Map<string, FlatEntry>();
      for (const [path, text] of Object.entries(files))
        entries.set(path, { mode: FILE_MODE, sha: repository.git.putBlob(Buffer.from(text)) });
      repository.branches.set(
        defaultBranch,
        commitOnto(repository, undefined, entries, "Initial commit"),
      );
      repositories.set(key(owner, name), repository);
    },
    createBranch(owner, repo, branch, fromBranch) {
      const repository = repositoryOf(owner, repo);
      const sha = repository.branches.get(fromBranch);
      if (!sha) throw new Error(`no branch ${fromBranch}`);
      repository.branches.set(branch, sha);
    },
    commitFiles(owner, repo, branch, { files = {}, deletions = [], message = "Direct commit" }) {
      const repository = repositoryOf(owner, repo);
      const parent = repository.branches.get(branch);
      if (!parent) throw new Error(`no branch ${branch}`);
      const entries = filesAt(repository, parent);
      for (const [path, text] of Object.entries(files))
        entries.set(path, { mode: FILE_MODE, sha: repository.git.putBlob(Buffer.from(text)) });
      for (const path of deletions) entries.delete(path);
      const sha = commitOnto(repository, parent, entries, message);
      repository.branches.set(branch, sha);
      return sha;
    },
    readFiles(owner, repo, ref) {
      const repository = repositoryOf(owner, repo);
      const sha = resolveRef(repository, ref);
      if (!sha) throw new Error(`no ref ${ref}`);
      const result: Record<string, string> = {};
      for (const [path, entry] of filesAt(repository, sha)) {
        const blob = repository.git.get(entry.sha);
        if (blob?.type === "blob") result[path] = blob.content.toString("utf8");
      }
      return result;
    },
    listCommits(owner, repo, branch) {
      const repository = repositoryOf(owner, repo);
      const history: Array<{ sha: string; message: string }> = [];
      let sha = repository.branches.get(branch);
      while (sha) {
        const commit = commitOf(repository, sha);
        if (!commit) break;
        history.push({ sha, message: commit.message });
        sha = commit.parents[0];
      }
      return history;
    },
    branchSha: (owner, repo, branch) => repositoryOf(owner, repo).branches.get(branch),
    listPullRequests: (owner, repo) => repositoryOf(owner, repo).pulls.map((pull) => ({ ...pull })),
    mergePullRequest(owner, repo, number) {
      const repository = repositoryOf(owner, repo);
      const pull = repository.pulls.find((candidate) => candidate.number === number);
      if (pull?.state !== "open") throw new Error(`pull request ${number} is not open`);
      const headSha = repository.branches.get(pull.head);
      const baseSha = repository.branches.get(pull.base);
      const headCommit = headSha ? commitOf(repository, headSha) : undefined;
      if (!headSha || !baseSha || !headCommit) throw new Error("branches missing");
      repository.branches.set(
        pull.base,
        repository.git.putCommit(
          headCommit.tree,
          [baseSha, headSha],
          `Merge pull request #${number}`,
        ),
      );
      pull.state = "closed";
      pull.isMerged = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function describeRoute(method: string, segments: string[]): string {
  if (segments[0] !== "repos") return `${method} /${segments.join("/")}`;
  const [, , , resource, kind] = segments;
  const shape = ["repos", "{owner}", "{repo}"];
  if (resource !== undefined) shape.push(resource);
  if (resource === "git" && kind !== undefined) {
    shape.push(kind);
    if (segments.length > 5) shape.push("…");
  } else if (segments.length > 4) shape.push("…");
  return `${method} /${shape.join("/")}`;
}

function refJson(base: string, branch: string, sha: string) {
  return {
    ref: `refs/heads/${branch}`,
    url: `${base}/refs/heads/${branch}`,
    object: { type: "commit", sha, url: `${base}/commits/${sha}` },
  };
}

function commitJson(
  base: string,
  sha: string,
  commit: { tree: string; parents: string[]; message: string },
) {
  return {
    sha,
    url: `${base}/commits/${sha}`,
    message: commit.message,
    tree: { sha: commit.tree, url: `${base}/trees/${commit.tree}` },
    parents: commit.parents.map((parent) => ({ sha: parent, url: `${base}/commits/${parent}` })),
  };
}

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== "string" || value === "")
    throw new HttpError(422, "Validation Failed", [{ field, code: "missing_field" }]);
  return value;
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new HttpError(400, "Problems parsing JSON");
    return parsed as Record<string, unknown>;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, "Problems parsing JSON");
  }
}

function writeJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
