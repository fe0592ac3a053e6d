import { z } from "zod";
import { hubStatusTones } from "@hubfed/core";
import {
  CapacityWindowStatus,
  ClusterRuntime,
  ConditionStatus,
  CourseRole,
  CreditSource,
  GitOpsExportStatus,
  HubRequestKind,
  HubRequestStatus,
  HiddenResultsVisibility,
  HubStatus,
  ImportantDateKind,
  LatePolicy,
  LimitPolicy,
  LinkInterface,
  LinkVerification,
  RunStatus,
  SubmissionChannel,
  SubmissionStatus,
  UsagePostingProblemKind,
} from "@hubfed/db";

// Output vocabulary shared by the routers, defined once. Enums come from
// Prisma's, so a value added to the schema reaches the API's validation
// without anyone restating the list.

export const hubStatusSchema = z.enum(HubStatus);
export const runStatusSchema = z.enum(RunStatus);
export const conditionStatusSchema = z.enum(ConditionStatus);
export const clusterRuntimeSchema = z.enum(ClusterRuntime);
export const courseRoleSchema = z.enum(CourseRole);
export const requestStatusSchema = z.enum(HubRequestStatus);
export const requestKindSchema = z.enum(HubRequestKind);
export const linkInterfaceSchema = z.enum(LinkInterface);
export const linkVerificationSchema = z.enum(LinkVerification);
export const gitOpsExportStatusSchema = z.enum(GitOpsExportStatus);
export const limitPolicySchema = z.enum(LimitPolicy);
export const creditSourceSchema = z.enum(CreditSource);
export const capacityWindowStatusSchema = z.enum(CapacityWindowStatus);
export const importantDateKindSchema = z.enum(ImportantDateKind);
export const latePolicySchema = z.enum(LatePolicy);
export const hiddenResultsSchema = z.enum(HiddenResultsVisibility);
export const submissionStatusSchema = z.enum(SubmissionStatus);
export const submissionChannelSchema = z.enum(SubmissionChannel);
export const usagePostingProblemKindSchema = z.enum(UsagePostingProblemKind);

/** A course's slug in a procedure's input (the URL segment of /courses/<slug>). */
export const courseSlugSchema = z.string().min(1).max(80);

/** A hub's status as people read it (core/hubs/status-description.ts). */
export const hubStatusDescriptionSchema = z.object({
  label: z.string(),
  explanation: z.string(),
  tone: z.enum(hubStatusTones),
});

/** One page of a long table (core's Page): its rows, and where it sits among all of them. */
export function pageShape<Item extends z.ZodType>(item: Item) {
  return z.object({
    items: z.array(item),
    total: z.number(),
    page: z.number(),
    pageSize: z.number(),
    pageCount: z.number(),
  });
}
