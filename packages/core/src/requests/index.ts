export {
  saveDraft,
  submitRequest,
  withdrawRequest,
  commentOnRequest,
  requestChanges,
  rejectRequest,
  approveRequest,
  type RequestContext,
  type ApproveInput,
} from "./lifecycle";
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
export * from "./form";
export * from "../pricing/estimate";
