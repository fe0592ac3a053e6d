import { fieldErrorsOf, type FieldErrors } from "../errors";
import { hubInterfaces, identityProviders, type HubInterface } from "@hubfed/hub-spec";
import { z } from "zod";
import { contentSourcesSchema } from "../links/validation";

// The hub request form (SPEC §1, issue "Hub requests"): one zod schema used by
// the browser and the server, so an error is reported on the same field in
// both places. This module is pure (no database), so the portal's client
// components can import it through `@hubfed/core/request-form`.

export const limits = {
  shortText: 200,
  longText: 2_000,
  emailDomains: 20,
  contacts: 5,
  meetings: 30,
  importantDates: 200,
  enrollment: 5_000,
} as const;

const trimmed = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .refine(
      (value) =>
        ![...value].some(
          (character) => character.charCodeAt(0) < 0x20 && character !== "\n" && character !== "\t",
        ),
      {
        message: "must not contain control characters",
      },
    );

const required = (max: number) => trimmed(max).min(1, "is required");

/** A calendar date as YYYY-MM-DD that exists (2026-02-30 does not). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date like 2026-09-01")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "is not a real date");

/** A local date and time as YYYY-MM-DDTHH:MM (what <input type="datetime-local"> gives). */
export const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "must be a date and time like 2026-10-14T10:00")
  .refine((value) => {
    const date = new Date(`${value}:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "is not a real date and time");

const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    "must be a domain like college.edu",
  );

const email = z.string().trim().toLowerCase().max(254).email("must be an email address");

export const institutionSection = z.object({
  name: required(limits.shortText),
  emailDomains: z
    .array(emailDomain)
    .min(1, "add at least one email domain")
    .max(limits.emailDomains, `at most ${limits.emailDomains} domains`),
  contacts: z
    .array(z.object({ name: required(limits.shortText), email, role: trimmed(80) }))
    .min(1, "add at least one contact")
    .max(limits.contacts, `at most ${limits.contacts} contacts`),
});

export const courseSection = z.object({
  code: required(40),
  title: required(limits.shortText),
  term: required(60),
  startDate: calendarDate,
  endDate: calendarDate,
  timezone: z.string().refine((value) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }, "must be a time zone like America/Los_Angeles"),
  lmsCourseId: trimmed(100).optional(),
});

export const meetingSchema = z.object({
  label: required(60),
  /** 1 = Monday … 7 = Sunday. */
  dayOfWeek: z.number().int().min(1).max(7),
  startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time like 10:00"),
  durationMinutes: z
    .number()
    .int("must be whole minutes")
    .min(10, "must be at least 10 minutes")
    .max(600, "must be at most 600 minutes"),
});

export const importantDateKinds = ["EXAM", "ASSIGNMENT_RELEASE", "DEADLINE", "OTHER"] as const;

export const importantDateSchema = z.object({
  kind: z.enum(importantDateKinds),
  title: required(limits.shortText),
  startsAt: localDateTime,
  endsAt: localDateTime.optional(),
});

export const scheduleSection = z.object({
  meetings: z
    .array(meetingSchema)
    .max(limits.meetings, `at most ${limits.meetings} weekly meetings`),
  importantDates: z
    .array(importantDateSchema)
    .max(limits.importantDates, `at most ${limits.importantDates} important dates`),
});

export const audienceSection = z.object({
  expectedEnrollment: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(limits.enrollment, `must be at most ${limits.enrollment}`),
  expectedConcurrentUsers: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(limits.enrollment, `must be at most ${limits.enrollment}`),
});

export const resourcesSection = z.object({
  memoryGuaranteeMib: z
    .number()
    .int()
    .min(256, "must be at least 256 MiB")
    .max(16_384, "must be at most 16 GiB"),
  memoryLimitMib: z
    .number()
    .int()
    .min(256, "must be at least 256 MiB")
    .max(32_768, "must be at most 32 GiB"),
  /** Thousandths of a CPU (250 = a quarter of a core). */
  cpuGuaranteeMilli: z
    .number()
    .int()
    .min(50, "must be at least 0.05 CPU")
    .max(8_000, "must be at most 8 CPUs"),
  cpuLimitMilli: z
    .number()
    .int()
    .min(100, "must be at least 0.1 CPU")
    .max(16_000, "must be at most 16 CPUs"),
  storageGib: z.number().int().min(1, "must be at least 1 GiB").max(200, "must be at most 200 GiB"),
});

/** An OCI image reference with a tag or digest: registry/name:tag or …@sha256:… */
export const imageReference = z
  .string()
  .trim()
  .max(300)
  .regex(
    /^[a-z0-9]+([._-][a-z0-9]+)*(\.[a-z0-9-]+)*(:\d+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)+(:[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    "must be an image reference with a tag, like quay.io/org/image:2026-01",
  );

export const environmentSection = z.object({
  interface: z.enum(hubInterfaces),
  /**
   * Where the course's material lives (GitHub organisations or repositories):
   * the course's allow-list for content links once approved.
   */
  contentSources: contentSourcesSchema.optional(),
  image: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("curated"), name: required(60) }),
    z.object({ kind: z.literal("custom"), reference: imageReference }),
  ]),
  /**
   * The autograder (assignments, check() and submit() in the notebook, a
   * gradebook). On unless the instructor turns it off; requests written before
   * it existed read as on, like every new one.
   */
  autograder: z.boolean().default(true),
});

export const identitySection = z.object({
  provider: z.enum(identityProviders),
  issuerUrl: z
    .string()
    .trim()
    .max(300)
    .url("must be a URL")
    .startsWith("https://", "must be an https:// URL")
    .optional(),
  allowedEmailDomains: z
    .array(emailDomain)
    .min(1, "add at least one allowed email domain")
    .max(limits.emailDomains),
});

export const clouds = ["aws", "gcp", "azure", "onprem"] as const;

export const placementSection = z.object({
  preferredRegion: z
    .string()
    .trim()
    .regex(/^[a-z0-9-]{1,40}$/, "must be a region slug")
    .optional(),
  preferredCloud: z.enum(clouds).optional(),
  fundingNote: trimmed(limits.longText).optional(),
});

const sections = {
  institution: institutionSection,
  course: courseSection,
  schedule: scheduleSection,
  audience: audienceSection,
  resources: resourcesSection,
  environment: environmentSection,
  identity: identitySection,
  placement: placementSection,
};

type Issue = { path: (string | number)[]; message: string };

/**
 * Rules across fields, reported on the field a person would fix. They read
 * a draft, checking each rule once both of its fields are there, so the form
 * can show them while other sections are still empty.
 */
function crossFieldIssues(form: HubRequestDraft): Issue[] {
  const issues: Issue[] = [];
  const { course, audience, resources, identity, schedule } = form;
  if (course?.startDate && course.endDate && course.endDate <= course.startDate) {
    issues.push({ path: ["course", "endDate"], message: "must be after the start date" });
  }
  if (
    audience?.expectedConcurrentUsers !== undefined &&
    audience.expectedEnrollment !== undefined &&
    audience.expectedConcurrentUsers > audience.expectedEnrollment
  ) {
    issues.push({
      path: ["audience", "expectedConcurrentUsers"],
      message: "cannot exceed the expected enrollment",
    });
  }
  if (
    resources?.memoryLimitMib !== undefined &&
    resources.memoryGuaranteeMib !== undefined &&
    resources.memoryLimitMib < resources.memoryGuaranteeMib
  ) {
    issues.push({
      path: ["resources", "memoryLimitMib"],
      message: "must be at least the memory guarantee",
    });
  }
  if (
    resources?.cpuLimitMilli !== undefined &&
    resources.cpuGuaranteeMilli !== undefined &&
    resources.cpuLimitMilli < resources.cpuGuaranteeMilli
  ) {
    issues.push({
      path: ["resources", "cpuLimitMilli"],
      message: "must be at least the CPU guarantee",
    });
  }
  if (identity?.provider === "oidc" && !identity.issuerUrl) {
    issues.push({
      path: ["identity", "issuerUrl"],
      message: "is required for your institution's own sign-in",
    });
  }
  (schedule?.importantDates ?? []).forEach((date, index) => {
    if (date.endsAt && date.endsAt < date.startsAt) {
      issues.push({
        path: ["schedule", "importantDates", index, "endsAt"],
        message: "must be after the start",
      });
    }
    const day = date.startsAt.slice(0, 10);
    if (course?.startDate && course.endDate && (day < course.startDate || day > course.endDate)) {
      issues.push({
        path: ["schedule", "importantDates", index, "startsAt"],
        message: "must fall within the course dates",
      });
    }
  });
  return issues;
}

/** The complete form, as submitted for review. */
export const hubRequestFormSchema = z.object(sections).superRefine((form, context) => {
  for (const issue of crossFieldIssues(form)) context.addIssue({ code: "custom", ...issue });
});

/**
 * A draft: every section and field may be missing, but whatever is present
 * obeys the field rules (sizes, types), so nothing unbounded is ever stored.
 */
export const hubRequestDraftSchema = z
  .object({
    institution: institutionSection.partial(),
    course: courseSection.partial(),
    schedule: scheduleSection.partial(),
    audience: audienceSection.partial(),
    resources: resourcesSection.partial(),
    environment: environmentSection.partial(),
    identity: identitySection.partial(),
    placement: placementSection.partial(),
  })
  .partial();

export type HubRequestForm = z.infer<typeof hubRequestFormSchema>;
export type HubRequestDraft = z.infer<typeof hubRequestDraftSchema>;

/** Checks a draft against the full form; the errors say what is left before submitting. */
export function validateForSubmission(
  draft: unknown,
): { form: HubRequestForm; fieldErrors: null } | { form: null; fieldErrors: FieldErrors } {
  // A section not filled in yet is checked as an empty one, so each of its
  // fields says it is required (rather than one error on a section no field shows).
  const emptySections = Object.fromEntries(Object.keys(sections).map((section) => [section, {}]));
  const withSections =
    typeof draft === "object" && draft !== null && !Array.isArray(draft)
      ? { ...emptySections, ...draft }
      : emptySections;
  const result = hubRequestFormSchema.safeParse(withSections, {
    // A missing value reads "is required", not the validator's "expected number, received undefined".
    error: (issue) => (issue.input === undefined ? "is required" : undefined),
  });
  if (result.success) return { form: result.data, fieldErrors: null };
  const fieldErrors = fieldErrorsOf(result.error);
  const parsedDraft = hubRequestDraftSchema.safeParse(draft);
  for (const issue of parsedDraft.success ? crossFieldIssues(parsedDraft.data) : []) {
    const messages = (fieldErrors[issue.path.map(String).join(".")] ??= []);
    if (!messages.includes(issue.message)) messages.push(issue.message);
  }
  return { form: null, fieldErrors };
}

/** A new form with sensible defaults from the region (resources) and the requester (domains). */
export function defaultDraft({
  emailDomain: domain,
  defaults,
}: {
  emailDomain?: string;
  defaults: {
    memoryGuaranteeMib: number;
    memoryLimitMib: number;
    cpuGuaranteeMilli: number;
    cpuLimitMilli: number;
    storageGib: number;
    interface: HubInterface;
  };
}): HubRequestDraft {
  return {
    institution: { emailDomains: domain ? [domain] : [], contacts: [] },
    course: { timezone: "America/Los_Angeles" },
    schedule: { meetings: [], importantDates: [] },
    audience: {},
    resources: {
      memoryGuaranteeMib: defaults.memoryGuaranteeMib,
      memoryLimitMib: defaults.memoryLimitMib,
      cpuGuaranteeMilli: defaults.cpuGuaranteeMilli,
      cpuLimitMilli: defaults.cpuLimitMilli,
      storageGib: defaults.storageGib,
    },
    environment: {
      interface: defaults.interface,
      image: { kind: "curated", name: "scipy" },
      autograder: true,
    },
    identity: { provider: "oidc", allowedEmailDomains: domain ? [domain] : [] },
    placement: {},
  };
}

/** A change to a running hub (SPEC §3): reviewed like a new request. */
export const hubChangeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("resources"),
    memoryGuaranteeMib: resourcesSection.shape.memoryGuaranteeMib,
    memoryLimitMib: resourcesSection.shape.memoryLimitMib,
    cpuGuaranteeMilli: resourcesSection.shape.cpuGuaranteeMilli,
    cpuLimitMilli: resourcesSection.shape.cpuLimitMilli,
    /** The window, inclusive, in the course's dates; the change reverts after `endsOn`. */
    startsOn: calendarDate,
    endsOn: calendarDate,
  }),
  z.object({ kind: z.literal("image"), image: environmentSection.shape.image }),
  z.object({ kind: z.literal("storage"), storageGib: resourcesSection.shape.storageGib }),
  z.object({ kind: z.literal("end-date"), endDate: calendarDate }),
  z.object({ kind: z.literal("autograder"), isEnabled: z.boolean() }),
]);

export const hubChangeRequestSchema = z
  .object({
    hubSlug: z.string().min(1).max(80),
    reason: required(limits.longText),
    change: hubChangeSchema,
  })
  .superRefine((request, context) => {
    const change = request.change;
    if (change.kind === "resources") {
      if (change.memoryLimitMib < change.memoryGuaranteeMib)
        context.addIssue({
          code: "custom",
          path: ["change", "memoryLimitMib"],
          message: "must be at least the memory guarantee",
        });
      if (change.cpuLimitMilli < change.cpuGuaranteeMilli)
        context.addIssue({
          code: "custom",
          path: ["change", "cpuLimitMilli"],
          message: "must be at least the CPU guarantee",
        });
      if (change.endsOn < change.startsOn)
        context.addIssue({
          code: "custom",
          path: ["change", "endsOn"],
          message: "must be on or after the first day",
        });
    }
  });

export type HubChange = z.infer<typeof hubChangeSchema>;
export type HubChangeRequest = z.infer<typeof hubChangeRequestSchema>;
