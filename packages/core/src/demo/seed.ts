import type {
  CourseRole,
  CreditSource,
  DatabaseClient,
  ImportantDateKind,
  InstitutionRole,
} from "@hubfed/db";
import { AppError } from "../errors";
import { seedDemoAssignment } from "./assignments";
import { openFundedPool } from "../credits/pools";
import { postDailyUsage } from "../metering/metering";
import { createHubBudgetSwitch } from "../hubs/budget-switch";
import { startOfUtcDay } from "../credits/forecast";
import { seedDemoRequests } from "./requests";
import { simulateUsageDay } from "./simulate-usage";

// The demo federation `npm start` brings up. Every write is an upsert on a
// natural key (or a transfer with a fixed idempotency key), so seeding again
// after a restart changes nothing and duplicates nothing.

export interface DemoUser {
  email: string;
  name: string;
  username: string;
  isOperator?: boolean;
  institution?: { slug: string; role: InstitutionRole };
  courses?: Array<{ slug: string; role: CourseRole }>;
  /** What the README says this account is for. */
  description: string;
}

export const demoUsers: DemoUser[] = [
  {
    email: "ops@hubfed.example",
    name: "Olivia Operator",
    username: "olivia-ops",
    isOperator: true,
    description: "federation operator (ops)",
  },
  {
    email: "it-admin@westvalley.edu",
    name: "Ian Admin",
    username: "ian-admin",
    institution: { slug: "west-valley", role: "ADMIN" },
    description: "institution admin, West Valley College",
  },
  {
    email: "prof.rivera@westvalley.edu",
    name: "Prof. Ana Rivera",
    username: "ana-rivera",
    institution: { slug: "west-valley", role: "MEMBER" },
    courses: [{ slug: "wvc-data-101-fa26", role: "INSTRUCTOR" }],
    description: "instructor of DATA 101",
  },
  {
    email: "ta.chen@westvalley.edu",
    name: "Sam Chen",
    username: "sam-chen",
    institution: { slug: "west-valley", role: "MEMBER" },
    courses: [{ slug: "wvc-data-101-fa26", role: "TA" }],
    description: "teaching assistant of DATA 101",
  },
  {
    email: "student@westvalley.edu",
    name: "Jordan Lee",
    username: "jordan-lee",
    institution: { slug: "west-valley", role: "MEMBER" },
    courses: [
      { slug: "wvc-data-101-fa26", role: "STUDENT" },
      { slug: "ccc-cs-120-fa26", role: "STUDENT" },
    ],
    description: "student in DATA 101 (West Valley) and CS 120 (Cascade, cross-registered)",
  },
  {
    email: "prof.okafor@cascade.edu",
    name: "Prof. Chidi Okafor",
    username: "chidi-okafor",
    institution: { slug: "cascade", role: "MEMBER" },
    courses: [{ slug: "ccc-cs-120-fa26", role: "INSTRUCTOR" }],
    description: "instructor of CS 120 at Cascade Community College",
  },
];

const demoInstitutions = [
  {
    slug: "west-valley",
    name: "West Valley College",
    emailDomains: ["westvalley.edu"],
    contacts: [{ name: "Ian Admin", email: "it-admin@westvalley.edu", role: "IT" }],
  },
  {
    slug: "cascade",
    name: "Cascade Community College",
    emailDomains: ["cascade.edu"],
    contacts: [{ name: "Chidi Okafor", email: "prof.okafor@cascade.edu", role: "Faculty" }],
  },
];

const demoCourses = [
  {
    slug: "wvc-data-101-fa26",
    institution: "west-valley",
    code: "DATA 101",
    title: "Foundations of Data Science",
    term: "Fall 2026",
    startDate: "2026-08-24",
    endDate: "2026-12-18",
    timezone: "America/Los_Angeles",
    expectedEnrollment: 120,
    expectedConcurrentUsers: 60,
    allowList: ["github.com/westvalley-data"],
    // Monday, Wednesday, Friday 10:00–10:50 lectures; Thursday 14:00 lab.
    meetings: [
      { label: "Lecture", dayOfWeek: 1, startMinute: 600, durationMinutes: 50 },
      { label: "Lecture", dayOfWeek: 3, startMinute: 600, durationMinutes: 50 },
      { label: "Lecture", dayOfWeek: 5, startMinute: 600, durationMinutes: 50 },
      { label: "Lab", dayOfWeek: 4, startMinute: 840, durationMinutes: 110 },
    ],
    importantDates: [
      {
        kind: "EXAM" as ImportantDateKind,
        title: "Midterm",
        startsAt: "2026-10-14T17:00:00Z",
        endsAt: "2026-10-14T18:50:00Z",
      },
      {
        kind: "EXAM" as ImportantDateKind,
        title: "Final exam",
        startsAt: "2026-12-14T16:00:00Z",
        endsAt: "2026-12-14T19:00:00Z",
      },
    ],
  },
  {
    slug: "ccc-cs-120-fa26",
    institution: "cascade",
    code: "CS 120",
    title: "Programming for Data Analysis",
    term: "Fall 2026",
    startDate: "2026-09-08",
    endDate: "2026-12-12",
    timezone: "America/Los_Angeles",
    expectedEnrollment: 32,
    expectedConcurrentUsers: 32,
    allowList: ["github.com/cascade-cs"],
    meetings: [
      { label: "Class", dayOfWeek: 2, startMinute: 780, durationMinutes: 80 },
      { label: "Class", dayOfWeek: 4, startMinute: 780, durationMinutes: 80 },
    ],
    importantDates: [
      {
        kind: "DEADLINE" as ImportantDateKind,
        title: "Project due",
        startsAt: "2026-12-05T07:59:00Z",
        endsAt: null,
      },
    ],
  },
];

const demoCreditPools: Array<{
  slug: string;
  name: string;
  region: string;
  cloud: string;
  source: CreditSource;
  amountCents: bigint;
  startsAt: string;
  expiresAt: string;
  note: string;
}> = [
  {
    slug: "aws-cloud-credits-2026",
    name: "AWS Cloud Credit for Research 2026",
    region: "us-west",
    cloud: "aws",
    source: "GRANT",
    amountCents: 5_000_000n,
    startsAt: "2026-01-01",
    expiresAt: "2027-06-30",
    note: "Research credit grant, one AWS account",
  },
  {
    slug: "gcp-education-2026",
    name: "Google Cloud education credits 2026",
    region: "us-west",
    cloud: "gcp",
    source: "PROMO_CODE",
    amountCents: 2_500_000n,
    startsAt: "2026-07-01",
    expiresAt: "2027-07-01",
    note: "Promo codes redeemed on the federation billing account",
  },
  {
    slug: "cascade-onprem",
    name: "Cascade on the Portal VM",
    region: "local",
    cloud: "onprem",
    source: "INSTITUTIONAL",
    amountCents: 200_000n,
    startsAt: "2026-07-01",
    expiresAt: "2027-06-30",
    note: "Cascade's share of the federation's Portal VM",
  },
  {
    slug: "west-valley-onprem",
    name: "West Valley on-prem VM",
    region: "local",
    cloud: "onprem",
    source: "INSTITUTIONAL",
    amountCents: 500_000n,
    startsAt: "2026-07-01",
    expiresAt: "2027-06-30",
    note: "Institutional budget for the local VM",
  },
];

export interface SeedReport {
  users: number;
  institutions: number;
  courses: number;
  creditPools: number;
}

/** Seeds the demo federation. Regions must have been synced first (they come from regions/). */
export async function seedDemoData(db: DatabaseClient): Promise<SeedReport> {
  // Check what the seed needs before writing anything, so a missing region
  // leaves no half-seeded federation behind.
  const poolPlacements = new Map<string, { regionId: string; cloudId: string; currency: string }>();
  for (const pool of demoCreditPools) {
    const region = await db.region.findUnique({
      where: { slug: pool.region },
      include: { clouds: true },
    });
    const cloud = region?.clouds.find((candidate) => candidate.slug === pool.cloud);
    if (!region || !cloud) {
      throw new AppError(
        "PRECONDITION_FAILED",
        `Credit pool ${pool.slug} needs region ${pool.region} with cloud ${pool.cloud}: sync the regions first`,
      );
    }
    poolPlacements.set(pool.slug, {
      regionId: region.id,
      cloudId: cloud.id,
      currency: region.currency,
    });
  }

  const institutionIds = new Map<string, string>();
  for (const institution of demoInstitutions) {
    const row = await db.institution.upsert({
      where: { slug: institution.slug },
      update: {},
      create: {
        slug: institution.slug,
        name: institution.name,
        emailDomains: institution.emailDomains,
        contacts: { create: institution.contacts },
      },
    });
    institutionIds.set(institution.slug, row.id);
  }

  const courseIds = new Map<string, string>();
  for (const course of demoCourses) {
    const institutionId = institutionIds.get(course.institution);
    if (!institutionId)
      throw new AppError(
        "INTERNAL",
        `Demo course ${course.slug} names unknown institution ${course.institution}`,
      );
    const existing = await db.course.findUnique({ where: { slug: course.slug } });
    const row =
      existing ??
      (await db.course.create({
        data: {
          slug: course.slug,
          institutionId,
          code: course.code,
          title: course.title,
          term: course.term,
          startDate: new Date(course.startDate),
          endDate: new Date(course.endDate),
          timezone: course.timezone,
          expectedEnrollment: course.expectedEnrollment,
          expectedConcurrentUsers: course.expectedConcurrentUsers,
          contentRepositoryAllowList: course.allowList,
          meetings: { create: course.meetings },
          importantDates: {
            create: course.importantDates.map((date) => ({
              kind: date.kind,
              title: date.title,
              startsAt: new Date(date.startsAt),
              endsAt: date.endsAt ? new Date(date.endsAt) : null,
            })),
          },
        },
      }));
    courseIds.set(course.slug, row.id);
  }

  for (const user of demoUsers) {
    const row = await db.user.upsert({
      where: { email: user.email },
      update: {},
      create: {
        email: user.email,
        name: user.name,
        username: user.username,
        isOperator: user.isOperator ?? false,
        emailVerified: new Date(),
      },
    });
    if (user.institution) {
      const institutionId = institutionIds.get(user.institution.slug);
      if (!institutionId)
        throw new AppError("INTERNAL", `Demo user ${user.email} names unknown institution`);
      await db.institutionMembership.upsert({
        where: { userId_institutionId: { userId: row.id, institutionId } },
        update: {},
        create: { userId: row.id, institutionId, role: user.institution.role },
      });
    }
    for (const enrollment of user.courses ?? []) {
      const courseId = courseIds.get(enrollment.slug);
      if (!courseId) throw new AppError("INTERNAL", `Demo user ${user.email} names unknown course`);
      await db.enrollment.upsert({
        where: { userId_courseId: { userId: row.id, courseId } },
        update: {},
        create: { userId: row.id, courseId, role: enrollment.role },
      });
    }
  }

  for (const pool of demoCreditPools) {
    const placement = poolPlacements.get(pool.slug);
    if (!placement) throw new AppError("INTERNAL", `No placement for credit pool ${pool.slug}`);
    await db.$transaction((tx) =>
      openFundedPool(tx, {
        slug: pool.slug,
        name: pool.name,
        regionId: placement.regionId,
        cloudId: placement.cloudId,
        currency: placement.currency,
        source: pool.source,
        amountCents: pool.amountCents,
        startsAt: new Date(pool.startsAt),
        expiresAt: new Date(pool.expiresAt),
        note: pool.note,
      }),
    );
  }

  await seedDemoRequests(db);
  await seedDemoContentLinks(db);
  await seedDemoAssignment(db);
  await seedDemoUsageHistory(db);

  return {
    users: demoUsers.length,
    institutions: demoInstitutions.length,
    courses: demoCourses.length,
    creditPools: demoCreditPools.length,
  };
}

/**
 * Published content links, so the demo's core loop works from the first
 * sign-in: My hubs lists them, and a click lands in the notebook on CS 120's
 * real hub. Fixed codes make them stable across restarts and readable in the
 * README's tour. Their GitHub check runs with the worker's next verification.
 */
export const demoContentLinks = [
  {
    code: "cs120week1",
    course: "ccc-cs-120-fa26",
    title: "Week 1: first steps with Python",
    repositoryUrl: "https://github.com/cascade-cs/cs120",
    branch: "main",
    path: "week1/intro.ipynb",
    interface: "CLASSIC" as const,
    publishedBy: "prof.okafor@cascade.edu",
  },
];

async function seedDemoContentLinks(db: DatabaseClient): Promise<void> {
  for (const link of demoContentLinks) {
    const course = await db.course.findUniqueOrThrow({ where: { slug: link.course } });
    const publisher = await db.user.findUniqueOrThrow({ where: { email: link.publishedBy } });
    await db.contentLink.upsert({
      where: { code: link.code },
      update: {},
      create: {
        code: link.code,
        courseId: course.id,
        title: link.title,
        repositoryUrl: link.repositoryUrl,
        branch: link.branch,
        path: link.path,
        interface: link.interface,
        createdById: publisher.id,
        verification: "UNVERIFIED",
        verificationMessage:
          "Published with the demo; checked against GitHub by the next verification run.",
      },
    });
  }
}

/** Days of simulated usage the demo starts with, so /ops/credits has burn charts and a forecast. */
const demoHistoryDays = 30;

/**
 * Gives DATA 101 a month of simulated usage (samples marked "simulation"),
 * priced and posted like metered usage. Only once: a hub with posted days
 * keeps its history.
 */
async function seedDemoUsageHistory(db: DatabaseClient, now: Date = new Date()): Promise<void> {
  const hub = await db.hub.findUnique({
    where: { slug: "wvc-data-101-fa26" },
    include: { _count: { select: { dailyCosts: true } } },
  });
  if (!hub || hub._count.dailyCosts > 0) return;
  const today = startOfUtcDay(now);
  // The history is posted before any worker runs, so there is no queue to tell the runtime with:
  // a hub it suspended (none with the demo's budgets) is stopped by the fleet's periodic check.
  const hubs = createHubBudgetSwitch({ add: () => Promise.resolve("not-queued") });
  for (let offset = demoHistoryDays; offset >= 1; offset -= 1) {
    const day = new Date(today.getTime() - offset * 86_400_000);
    await simulateUsageDay(db, day, { hubIds: [hub.id] });
    await postDailyUsage(db, { hubs, day, now: new Date(day.getTime() + 86_400_000) });
  }
}
