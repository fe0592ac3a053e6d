export {
  courseRoleLabels,
  describeCourseForStaff,
  loadCourseFor,
  type CourseInScope,
} from "./access";
export { generateJoinCode, normalizeJoinCode } from "./join-code-format";
export { generateInvitationToken, hashInvitationToken } from "./invitation-tokens";
export {
  createJoinCode,
  createJoinCodeInput,
  describeJoinCodeFor,
  joinCodeState,
  joinWithCode,
  listJoinCodes,
  revokeJoinCode,
  type JoinCodeState,
  type JoinCodeSummary,
  type JoinResult,
} from "./join-codes";
export { chooseHubForEnrollment, type ChosenHub } from "./sticky-hub";
export { linksPerCourseOnMyHubs, listMyHubs, type MyHub } from "./my-hubs";
export { launchCourseHub, type LaunchDecision } from "./launch";
export { getCourseOverview } from "./course-overview";
export {
  changeCourseRole,
  changeCourseRoleInput,
  leaveCourse,
  listRoster,
  rosterQueryInput,
  type RosterQuery,
  unenrollFromCourse,
} from "./roster";
export {
  listHubAccessChanges,
  queueHubAccessRevocations,
  retryHubAccessChange,
  takeAwayHubAccess,
  type HubAccessChange,
} from "./hub-access";
export { parseRosterCsv, rosterDigest, maxRosterRows, type ParsedRoster } from "./roster-csv";
export {
  commitRosterImport,
  previewRosterImport,
  rosterCommitInput,
  rosterPreviewInput,
  type RosterImportResult,
  type RosterPreview,
  type RosterPreviewRow,
  type RosterRowOutcome,
} from "./roster-import";
export {
  acceptCourseInvitation,
  createCourseInvitation,
  createInvitationInput,
  describeInvitationByToken,
  invitationState,
  listCourseInvitations,
  listMyInvitations,
  revokeCourseInvitation,
  type InvitationState,
  type InvitationSummary,
} from "./invitations";
