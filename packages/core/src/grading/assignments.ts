import { z } from "zod";
import type { Actor } from "@hubfed/auth/permissions";
import { recordAuditEvent, type DatabaseClient, type Prisma, type Transaction } from "@hubfed/db";
import {
  readAssignmentBundle,
  readAutograderZip,
  type AssignmentBundle,
} from "@hubfed/grader/ok-format";
import { localDateTimeToUtc } from "../courses/time-zones";
import { AppError, fieldErrorsOf, type FieldErrors } from "../errors";
import { interactCache } from "../links/interact-cache";
import { generateContentLinkCode } from "../links/link-codes";
import type { RequestMetadata } from "../links/staff-access";
import {
  checkBranchName,
  checkRelativePath,
  describeRefusedRepository,
  isRepositoryAllowed,
  normaliseRepositoryUrl,
} from "../links/validation";
import { slugify, uniqueSlug } from "../slugs";
import { findCourseForGrading } from "./course-access";
import { type AssignmentMaterial } from "./material";
import type { RepositoryMaterialReader } from "./repository-material";

/**
 * Assignments (SPEC §4, the autograder): instructors and TAs create one from
 * a folder of the course's content repository or from uploaded files, in the
 * format Otter-Grader uses (a notebook and tests/*.py, or an autograder.zip).
 * The tests are read — never run — at save time, and every problem comes back
 * with its file. Publishing makes the interact link that fetches the
 * assignment into each student's server.
 */

const isTimeZone = (value: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

export const assignmentSettingsSchema = z
  .object({
    title: z.string().trim().min(1, "Give the assignment a title.").max(120),
    dueLocal: z
      .string()
      .regex(
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/,
        "Give the due date and time, e.g. 2026-12-10T23:59.",
      ),
    timeZone: z.string().refine(isTimeZone, "Choose a time zone from the list."),
    latePolicy: z.enum(["NONE", "PENALTY_PER_DAY", "HARD_CUTOFF"]),
    latePenaltyPercentPerDay: z
      .number()
      .int("Whole percents only.")
      .min(1, "At least 1 % per day.")
      .max(100, "At most 100 % per day.")
      .nullable(),
    points: z.number().int("Whole points only.").min(1, "At least 1 point.").max(1000),
    attemptsAllowed: z
      .number()
      .int("A whole number of attempts.")
      .min(1, "At least one attempt.")
      .max(100, "At most 100 attempts; leave empty for unlimited.")
      .nullable(),
    hiddenResults: z.enum(["IMMEDIATELY", "AFTER_DUE", "NEVER"]),
  })
  .superRefine((value, context) => {
    if (value.latePolicy === "PENALTY_PER_DAY" && value.latePenaltyPercentPerDay === null)
      context.addIssue({
        code: "custom",
        path: ["latePenaltyPercentPerDay"],
        message: "Give the penalty per day late.",
      });
  });

export type AssignmentSettings = z.infer<typeof assignmentSettingsSchema>;

const uploadedFileSchema = z.object({
  path: z.string().min(1).max(300),
  contentBase64: z.string().max(28 * 1024 * 1024),
});

export const assignmentMaterialSourceSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("repository"),
    repositoryUrl: z.string().max(500),
    branch: z.string().max(255),
    path: z.string().max(500),
  }),
  z.object({
    kind: z.literal("upload"),
    files: z.array(uploadedFileSchema).min(1, "Add the notebook and its tests.").max(200),
  }),
]);

export type AssignmentMaterialSource = z.infer<typeof assignmentMaterialSourceSchema>;

export interface AssignmentDependencies {
  readRepositoryMaterial: RepositoryMaterialReader;
  requestMetadata?: RequestMetadata;
  now?: Date;
}

/** Who did what to which assignment of which course, in the change's transaction. */
function auditAssignment(
  tx: Transaction,
  who: {
    actor: Actor;
    course: { slug: string };
    assignmentId: string;
    dependencies: { requestMetadata?: RequestMetadata };
  },
  action: string,
  details: Record<string, string | number>,
): Promise<void> {
  return recordAuditEvent(tx, {
    actorId: who.actor.userId,
    action,
    subjectType: "Assignment",
    subjectId: who.assignmentId,
    details: { courseSlug: who.course.slug, ...details },
    requestMetadata: who.dependencies.requestMetadata,
  });
}

function refuseFields(fieldErrors: FieldErrors): never {
  throw new AppError("BAD_REQUEST", "Some fields need fixing", fieldErrors);
}

function parseSettings(input: unknown): AssignmentSettings {
  const parsed = assignmentSettingsSchema.safeParse(input);
  if (!parsed.success) refuseFields(fieldErrorsOf(parsed.error, "settings"));
  return parsed.data;
}

/** An autograder.zip among the files wins over loose tests/ (it is what Otter built). */
function bundleOf(files: Array<{ path: string; content: Uint8Array }>): AssignmentBundle {
  const zips = files.filter((file) => file.path.toLowerCase().endsWith(".zip"));
  if (zips.length > 1)
    return {
      tests: [],
      supportFiles: [],
      problems: [{ file: zips[1]?.path ?? "", problem: "give one autograder.zip, not several" }],
    };
  const zip = zips[0];
  if (!zip) return readAssignmentBundle(files);
  const fromZip = readAutograderZip(zip.content);
  const notebooks = readAssignmentBundle(files.filter((file) => file !== zip));
  return { ...fromZip, notebook: notebooks.notebook, problems: [...fromZip.problems] };
}

interface ReadMaterial {
  material: AssignmentMaterial;
  notebookName: string;
  repository: { repositoryUrl: string; branch: string; repositoryPath: string } | null;
}

/** The material from its source, or every problem keyed to the field that fixes it. */
async function readMaterial(
  source: AssignmentMaterialSource,
  allowList: readonly string[],
  readRepositoryMaterial: RepositoryMaterialReader,
): Promise<ReadMaterial> {
  let files: Array<{ path: string; content: Uint8Array }>;
  let repository: ReadMaterial["repository"] = null;
  if (source.kind === "repository") {
    const errors: FieldErrors = {};
    const normalised = normaliseRepositoryUrl(source.repositoryUrl);
    if (!normalised.ok) errors["material.repositoryUrl"] = [normalised.message];
    else if (!isRepositoryAllowed(normalised.repository, allowList))
      errors["material.repositoryUrl"] = [
        describeRefusedRepository(normalised.repository, allowList, "staff"),
      ];
    const branchProblem = checkBranchName(source.branch.trim());
    if (branchProblem) errors["material.branch"] = [branchProblem.message];
    const path = source.path.trim().replace(/^\/+|\/+$/g, "");
    const pathProblem = checkRelativePath(path, { allowEmpty: true, noun: "folder" });
    if (pathProblem) errors["material.path"] = [pathProblem.message];
    if (!normalised.ok || Object.keys(errors).length > 0) refuseFields(errors);
    const read = await readRepositoryMaterial({
      repository: normalised.repository,
      branch: source.branch.trim(),
      path,
    });
    if (!read.ok) refuseFields({ [`material.${read.field}`]: [read.message] });
    files = read.files;
    repository = {
      repositoryUrl: normalised.repository.url,
      branch: source.branch.trim(),
      repositoryPath: path,
    };
  } else {
    files = source.files.map((file) => ({
      path: file.path,
      content: Buffer.from(file.contentBase64, "base64"),
    }));
  }

  const bundle = bundleOf(files);
  const problems = bundle.problems.map((problem) =>
    problem.file ? `${problem.file}: ${problem.problem}` : problem.problem,
  );
  if (!bundle.notebook) problems.push("No student notebook (.ipynb) was found.");
  if (bundle.tests.length === 0 && bundle.problems.length === 0)
    problems.push("No tests were found: put one OK-format file per question in tests/.");
  if (problems.length > 0 || !bundle.notebook) refuseFields({ material: problems });
  return {
    material: {
      notebook: bundle.notebook.content,
      tests: bundle.tests,
      supportFiles: bundle.supportFiles,
    },
    notebookName: bundle.notebook.name.split("/").pop() ?? bundle.notebook.name,
    repository,
  };
}

function settingsColumns(settings: AssignmentSettings) {
  return {
    title: settings.title,
    dueAt: localDateTimeToUtc(settings.dueLocal, settings.timeZone),
    timeZone: settings.timeZone,
    latePolicy: settings.latePolicy,
    latePenaltyPercentPerDay:
      settings.latePolicy === "PENALTY_PER_DAY" ? settings.latePenaltyPercentPerDay : null,
    points: settings.points,
    attemptsAllowed: settings.attemptsAllowed,
    hiddenResults: settings.hiddenResults,
  };
}

/** A new assignment, unpublished: staff check it before students see it. */
export async function createAssignment(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; settings: unknown; source: AssignmentMaterialSource },
  dependencies: AssignmentDependencies,
) {
  const course = await findCourseForGrading(db, actor, input.courseSlug, "assignment.manage");
  const settings = parseSettings(input.settings);
  const read = await readMaterial(
    input.source,
    course.contentRepositoryAllowList,
    dependencies.readRepositoryMaterial,
  );
  const slug = await uniqueSlug(
    async (candidate) =>
      (await db.assignment.count({ where: { courseId: course.id, slug: candidate } })) > 0,
    slugify(settings.title) || "assignment",
  );
  return db.$transaction(async (tx) => {
    const assignment = await tx.assignment.create({
      data: {
        courseId: course.id,
        slug,
        ...settingsColumns(settings),
        source: input.source.kind === "repository" ? "REPOSITORY" : "UPLOAD",
        repositoryUrl: read.repository?.repositoryUrl ?? null,
        branch: read.repository?.branch ?? null,
        repositoryPath: read.repository?.repositoryPath ?? null,
        notebookName: read.notebookName,
        material: read.material as unknown as Prisma.InputJsonValue,
        createdById: actor.userId,
      },
      select: { id: true, slug: true },
    });
    await auditAssignment(
      tx,
      { actor, course, assignmentId: assignment.id, dependencies },
      "assignment.create",
      { slug, questions: read.material.tests.length },
    );
    return assignment;
  });
}

async function findAssignment(db: DatabaseClient, courseId: string, slug: string) {
  const assignment = await db.assignment.findUnique({
    where: { courseId_slug: { courseId, slug } },
    select: {
      id: true,
      slug: true,
      title: true,
      source: true,
      repositoryUrl: true,
      branch: true,
      repositoryPath: true,
      publishedAt: true,
      archivedAt: true,
      link: { select: { id: true, code: true } },
    },
  });
  if (!assignment) throw new AppError("NOT_FOUND", "Assignment not found");
  return assignment;
}

/**
 * New settings, and optionally new material (a fixed test): the material
 * revision goes up, and staff regrade from the gradebook when they want the
 * fix applied to work already graded.
 */
export async function updateAssignment(
  db: DatabaseClient,
  actor: Actor,
  input: {
    courseSlug: string;
    assignmentSlug: string;
    settings: unknown;
    source?: AssignmentMaterialSource;
  },
  dependencies: AssignmentDependencies,
) {
  const course = await findCourseForGrading(db, actor, input.courseSlug, "assignment.manage");
  const assignment = await findAssignment(db, course.id, input.assignmentSlug);
  if (assignment.archivedAt)
    throw new AppError("PRECONDITION_FAILED", "This assignment is archived");
  const settings = parseSettings(input.settings);
  const read = input.source
    ? await readMaterial(
        input.source,
        course.contentRepositoryAllowList,
        dependencies.readRepositoryMaterial,
      )
    : undefined;
  return db.$transaction(async (tx) => {
    const updated = await tx.assignment.update({
      where: { id: assignment.id },
      data: {
        ...settingsColumns(settings),
        ...(read && input.source
          ? {
              source: input.source.kind === "repository" ? "REPOSITORY" : "UPLOAD",
              repositoryUrl: read.repository?.repositoryUrl ?? null,
              branch: read.repository?.branch ?? null,
              repositoryPath: read.repository?.repositoryPath ?? null,
              notebookName: read.notebookName,
              material: read.material as unknown as Prisma.InputJsonValue,
              materialRevision: { increment: 1 },
            }
          : {}),
      },
      select: { id: true, slug: true, materialRevision: true },
    });
    if (assignment.link)
      await tx.contentLink.update({
        where: { id: assignment.link.id },
        data: { title: settings.title },
      });
    await auditAssignment(
      tx,
      { actor, course, assignmentId: assignment.id, dependencies },
      read ? "assignment.update-material" : "assignment.update",
      { materialRevision: updated.materialRevision },
    );
    return updated;
  });
}

/** Students see it, and its interact link (/i/<code>) fetches it into their server. */
export async function publishAssignment(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; assignmentSlug: string },
  dependencies: { requestMetadata?: RequestMetadata; now?: Date } = {},
) {
  const now = dependencies.now ?? new Date();
  const course = await findCourseForGrading(db, actor, input.courseSlug, "assignment.manage");
  const assignment = await findAssignment(db, course.id, input.assignmentSlug);
  if (assignment.archivedAt)
    throw new AppError("PRECONDITION_FAILED", "This assignment is archived");
  if (assignment.publishedAt && assignment.link)
    return { code: assignment.link.code, publishedAt: assignment.publishedAt };
  return db.$transaction(async (tx) => {
    const link =
      assignment.link ??
      (await tx.contentLink.create({
        data: {
          courseId: course.id,
          code: generateContentLinkCode(),
          title: assignment.title,
          repositoryUrl: assignment.repositoryUrl ?? "",
          branch: assignment.branch ?? "",
          path: assignment.repositoryPath ?? "",
          interface: "CLASSIC",
          verification: "OK",
          verifiedAt: now,
          assignmentId: assignment.id,
          createdById: actor.userId,
        },
        select: { id: true, code: true },
      }));
    const published = await tx.assignment.update({
      where: { id: assignment.id },
      data: { publishedAt: now },
      select: { publishedAt: true },
    });
    await auditAssignment(
      tx,
      { actor, course, assignmentId: assignment.id, dependencies },
      "assignment.publish",
      { code: link.code },
    );
    return { code: link.code, publishedAt: published.publishedAt ?? now };
  });
}

/** No more submissions; grades stay; its link answers "retired". */
export async function archiveAssignment(
  db: DatabaseClient,
  actor: Actor,
  input: { courseSlug: string; assignmentSlug: string },
  dependencies: { requestMetadata?: RequestMetadata; now?: Date } = {},
) {
  const now = dependencies.now ?? new Date();
  const course = await findCourseForGrading(db, actor, input.courseSlug, "assignment.manage");
  const assignment = await findAssignment(db, course.id, input.assignmentSlug);
  await db.$transaction(async (tx) => {
    await tx.assignment.update({ where: { id: assignment.id }, data: { archivedAt: now } });
    if (assignment.link)
      await tx.contentLink.update({
        where: { id: assignment.link.id },
        data: { archivedAt: now },
      });
    await auditAssignment(
      tx,
      { actor, course, assignmentId: assignment.id, dependencies },
      "assignment.archive",
      {},
    );
  });
  if (assignment.link) interactCache().links.delete(assignment.link.code);
  return { archivedAt: now };
}
