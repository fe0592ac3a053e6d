export { saveDraft, submitRequest, withdrawRequest } from "./authoring";
export { commentOnRequest, requestChanges, rejectRequest } from "./review";
export { approveRequest, type ApproveInput } from "./approval";
export { type RequestContext } from "./records";
export { createChangeRequest, approveChangeRequest } from "./changes";
export {
  getRequestDetail,
  listMyRequests,
  listReviewQueue,
  listApprovalOptions,
  previewApproval,
  type ReviewQueueFilter,
} from "./queries";
export { describeRequestOptions, estimateForm, findClusterForApproval } from "./placement";
export { canViewRequest } from "./access";
export { hubChangeRequestSchema, hubRequestDraftSchema } from "./form";
