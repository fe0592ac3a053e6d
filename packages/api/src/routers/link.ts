import { z } from "zod";
import {
  archiveContentLink,
  createContentLink,
  listCourseLinks,
  updateCourseAllowList,
} from "@hubfed/core";
import { hubStatusSchema, linkInterfaceSchema, linkVerificationSchema } from "../shapes";
import { requirePermission, router } from "../trpc";

// Content links (SPEC §8): publishing and archiving need link.publish,
// reading course.read; core checks both again against the course's scope.
// The draft's fields are validated in core, against the course's
// allow-list, so every message comes back keyed by its form field.

const courseSlug = z.string().min(1).max(80);

const linkSummary = z.object({
  id: z.string(),
  code: z.string(),
  title: z.string(),
  repositoryUrl: z.string(),
  branch: z.string(),
  path: z.string(),
  interface: linkInterfaceSchema,
  targetPath: z.string().nullable(),
  verification: linkVerificationSchema,
  verificationMessage: z.string().nullable(),
  verifiedAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
  createdAt: z.date(),
  createdBy: z.string().nullable(),
  shortPath: z.string(),
  nbgitpullerUrl: z.string().nullable(),
  clicks: z.object({
    total: z.number(),
    last30Days: z.number(),
    daily: z.array(z.object({ day: z.string(), clicks: z.number() })),
  }),
});

export const linkRouter = router({
  /** The course's allowed repositories; each entry is checked in core, errors keyed by index. */
  updateAllowList: requirePermission("course.content.manage")
    .input(z.object({ courseSlug, entries: z.array(z.string().max(200)).max(50) }))
    .output(z.object({ allowList: z.array(z.string()) }))
    .mutation(({ ctx, input }) =>
      updateCourseAllowList(ctx.db, ctx.actor, input, {
        requestMetadata: ctx.requestMetadata,
      }),
    ),

  list: requirePermission("course.read")
    .input(z.object({ courseSlug }))
    .output(
      z.object({
        course: z.object({
          slug: z.string(),
          code: z.string(),
          title: z.string(),
          term: z.string(),
          allowList: z.array(z.string()),
          unavailableInterfaces: z.array(
            z.object({ interface: linkInterfaceSchema, reason: z.string() }),
          ),
        }),
        canPublish: z.boolean(),
        canManageAllowList: z.boolean(),
        hubs: z.array(
          z.object({ slug: z.string(), status: hubStatusSchema, url: z.string().nullable() }),
        ),
        links: z.array(linkSummary),
      }),
    )
    .query(({ ctx, input }) =>
      listCourseLinks(ctx.db, ctx.actor, input.courseSlug, { redis: ctx.redis }),
    ),

  create: requirePermission("link.publish")
    .input(
      z.object({
        courseSlug,
        title: z.string().max(1000),
        repositoryUrl: z.string().max(2000),
        branch: z.string().max(1000),
        path: z.string().max(2000),
        interface: z.string().max(20),
        targetPath: z.string().max(2000).optional(),
      }),
    )
    .output(
      z.object({
        id: z.string(),
        code: z.string(),
        verification: linkVerificationSchema,
        verificationMessage: z.string().nullable(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { courseSlug: slug, ...draft } = input;
      return createContentLink(
        ctx.db,
        ctx.actor,
        { courseSlug: slug, draft },
        { redis: ctx.redis, verifyLink: ctx.verifyLink, requestMetadata: ctx.requestMetadata },
      );
    }),

  archive: requirePermission("link.publish")
    .input(z.object({ linkId: z.string().min(1).max(40) }))
    .output(z.object({ archivedAt: z.date() }))
    .mutation(({ ctx, input }) =>
      archiveContentLink(ctx.db, ctx.actor, { linkId: input.linkId }, ctx.requestMetadata),
    ),
});
