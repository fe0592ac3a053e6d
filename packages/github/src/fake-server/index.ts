export {
  startFakeGitHub,
  type FakeGitHubCounters,
  type FakeGitHubOptions,
  type FakeGitHubServer,
  type FakePullRequest,
} from "./server";
