export {
  linkInterfaces,
  normaliseRepositoryUrl,
  isRepositoryAllowed,
  parseAllowListEntry,
  describeAllowList,
  checkBranchName,
  checkRelativePath,
  contentLinkDraftSchema,
  validateContentLink,
  type ContentLinkDraft,
  type LinkInterfaceName,
  type NormalisedRepository,
  type ValidContentLink,
} from "./validation";
export {
  buildNbgitpullerUrl,
  buildUrlPath,
  hubBaseUrl,
  nbgitpullerTargetOf,
  type NbgitpullerTarget,
} from "./nbgitpuller";
export { generateContentLinkCode, isContentLinkCodeShaped } from "./link-codes";
export {
  interactFormOf,
  type InteractCourse,
  type InteractOutcome,
  type InteractRequest,
} from "./interact-request";
export {
  interactCache,
  createInteractCache,
  dropFromInteractCache,
  shareInteractCacheDrops,
  shareProcessInteractCacheDrops,
  type InteractCache,
} from "./interact-cache";
export { resolveInteractRequest } from "./resolve-interact";
export { createClickRecorder, foldLinkClicks, type ClickRecorder } from "./clicks";
export {
  consumeRateLimit,
  joinCodeRateLimit,
  linkCreationRateLimit,
  type RateLimit,
} from "./rate-limit";
export {
  createLinkVerifier,
  type LinkCheck,
  type LinkVerifier,
  type LinkVerifierConfig,
} from "./verification";
export { createContentLink, archiveContentLink, type LinkRedis } from "./publish";
export { listCourseLinks } from "./course-link-list";
export { latestLinksByCourse, type LatestLink } from "./latest-links";
export { verifyContentLinks } from "./periodic-verification";
export { renderQrCodeSvg } from "./qr-code";
export {
  decideInteractFastPath,
  interactFastPathCodeOf,
  type InteractFastPathFallThrough,
  type InteractFastPathRedirect,
} from "./fast-path";
export { updateCourseAllowList } from "./allow-list";
