import { Octokit } from "@octokit/rest";

export type GitHubClient = Octokit;

export interface GitHubClientOptions {
  /** Defaults to https://api.github.com; the tests point it at the fake server. */
  baseUrl?: string;
  /** A token with contents and pull-request write access to the repositories it is used on. */
  token?: string;
  /** Each request gives up after this long (default 15 s), so a hung GitHub fails a job instead of stalling it. */
  timeoutMs?: number;
}

/**
 * An Octokit for Hubfed's few GitHub operations. The token only ever goes
 * into the Authorization header; nothing here logs requests, and errors are
 * reduced to status and message before they leave this package.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const timeoutMs = options.timeoutMs ?? 15_000;
  return new Octokit({
    auth: options.token,
    baseUrl: options.baseUrl?.replace(/\/+$/, ""),
    userAgent: "hubfed",
    // Octokit's default logger prints deprecation notices with request details; keep quiet.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
    },
  });
}

/** "owner/name" → its parts, or undefined when it is not of that shape. */
export function parseRepositoryName(value: string): { owner: string; repo: string } | undefined {
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(value.trim());
  if (!match?.[1] || !match[2] || match[2] === "." || match[2] === "..") return undefined;
  return { owner: match[1], repo: match[2] };
}
