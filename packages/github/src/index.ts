export {
  createGitHubClient,
  parseRepositoryName,
  type GitHubClient,
  type GitHubClientOptions,
} from "./client";
export { GitHubOperationError, type GitHubProblem } from "./errors";
export { gitBlobSha } from "./git-objects";
export {
  proposeDirectoryAsPullRequest,
  type DirectoryProposal,
  type ProposalResult,
} from "./propose";
export { readRepositoryFolder, type FolderFile, type FolderLimits } from "./read-folder";
export {
  verifyRepositoryPath,
  type RepositoryPath,
  type RepositoryPathCheck,
  type RepositoryPathProblem,
} from "./verify";
