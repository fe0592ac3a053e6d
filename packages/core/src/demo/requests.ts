import type { DatabaseClient } from "@hubfed/db";
import { AppError } from "../errors";
import { createHubWithHold } from "../hubs/create-hub";
import { buildHubSpec } from "../requests/hub-spec-from-request";
import { regionSettingsOf } from "../regions/settings";
import type { HubRequestForm } from "../requests/form";
import { pricingOfCluster } from "../pricing/region-pricing";
import { estimateForm } from "../requests/placement";

// Demo hub requests: DATA 101's approved request (its hub on the simulated
// us-west EKS cluster and the hold on the AWS pool), CS 120's (a real hub on
// the Portal VM), and a submitted request waiting in the ops queue.

/** DATA 101 as its instructor requested it; packages/core/src/requests/estimate.test.ts computes its estimate by hand. */
export const data101RequestForm: HubRequestForm = {
  institution: {
    name: "West Valley College",
    emailDomains: ["westvalley.edu"],
    contacts: [{ name: "Ian Admin", email: "it-admin@westvalley.edu", role: "IT" }],
  },
  course: {
    code: "DATA 101",
    title: "Foundations of Data Science",
    term: "Fall 2026",
    startDate: "2026-08-24",
    endDate: "2026-12-18",
    timezone: "America/Los_Angeles",
  },
  schedule: {
    meetings: [
      { label: "Lecture", dayOfWeek: 1, startTime: "10:00", durationMinutes: 50 },
      { label: "Lecture", dayOfWeek: 3, startTime: "10:00", durationMinutes: 50 },
      { label: "Lecture", dayOfWeek: 5, startTime: "10:00", durationMinutes: 50 },
      { label: "Lab", dayOfWeek: 4, startTime: "14:00", durationMinutes: 110 },
    ],
    importantDates: [
      { kind: "EXAM", title: "Midterm", startsAt: "2026-10-14T10:00", endsAt: "2026-10-14T11:50" },
      {
        kind: "EXAM",
        title: "Final exam",
        startsAt: "2026-12-14T08:00",
        endsAt: "2026-12-14T11:00",
      },
    ],
  },
  audience: { expectedEnrollment: 120, expectedConcurrentUsers: 60 },
  resources: {
    memoryGuaranteeMib: 1024,
    memoryLimitMib: 2048,
    cpuGuaranteeMilli: 250,
    cpuLimitMilli: 2000,
    storageGib: 10,
  },
  environment: { interface: "lab", image: { kind: "curated", name: "scipy" }, autograder: true },
  identity: { provider: "google", allowedEmailDomains: ["westvalley.edu"] },
  placement: {
    preferredRegion: "us-west",
    preferredCloud: "aws",
    fundingNote: "Covered by the federation's AWS research credits.",
  },
};

const cs220RequestForm: HubRequestForm = {
  institution: {
    name: "Cascade Community College",
    emailDomains: ["cascade.edu"],
    contacts: [{ name: "Chidi Okafor", email: "prof.okafor@cascade.edu", role: "Faculty" }],
  },
  course: {
    code: "CS 220",
    title: "Machine Learning Foundations",
    term: "Spring 2027",
    startDate: "2027-01-19",
    endDate: "2027-05-14",
    timezone: "America/Los_Angeles",
  },
  schedule: {
    meetings: [
      { label: "Class", dayOfWeek: 2, startTime: "13:00", durationMinutes: 80 },
      { label: "Class", dayOfWeek: 4, startTime: "13:00", durationMinutes: 80 },
    ],
    importantDates: [{ kind: "EXAM", title: "Final project demo", startsAt: "2027-05-11T13:00" }],
  },
  audience: { expectedEnrollment: 40, expectedConcurrentUsers: 40 },
  resources: {
    memoryGuaranteeMib: 2048,
    memoryLimitMib: 4096,
    cpuGuaranteeMilli: 500,
    cpuLimitMilli: 2000,
    storageGib: 10,
  },
  environment: { interface: "lab", image: { kind: "curated", name: "scipy" }, autograder: true },
  identity: {
    provider: "oidc",
    issuerUrl: "https://login.cascade.edu",
    allowedEmailDomains: ["cascade.edu"],
  },
  placement: { preferredRegion: "us-west", preferredCloud: "gcp" },
};

function queueColumns(form: HubRequestForm) {
  return {
    courseCode: form.course.code,
    courseTitle: form.course.title,
    courseStartDate: new Date(`${form.course.startDate}T00:00:00Z`),
  };
}

async function userId(db: DatabaseClient, email: string): Promise<string> {
  const user = await db.user.findUnique({ where: { email }, select: { id: true } });
  if (!user) throw new AppError("INTERNAL", `Demo user ${email} is missing`);
  return user.id;
}

/**
 * CS 120 as Cascade asked for it: a small class on the federation's Portal
 * VM (the `local` region), so the demo has a real JupyterHub from the first
 * start — sign in, click a content link, land in a notebook.
 */
export const cs120RequestForm: HubRequestForm = {
  institution: {
    name: "Cascade Community College",
    emailDomains: ["cascade.edu"],
    contacts: [{ name: "Chidi Okafor", email: "prof.okafor@cascade.edu", role: "Faculty" }],
  },
  course: {
    code: "CS 120",
    title: "Programming for Data Analysis",
    term: "Fall 2026",
    startDate: "2026-09-08",
    endDate: "2026-12-12",
    timezone: "America/Los_Angeles",
  },
  schedule: {
    meetings: [
      { label: "Class", dayOfWeek: 2, startTime: "13:00", durationMinutes: 80 },
      { label: "Class", dayOfWeek: 4, startTime: "13:00", durationMinutes: 80 },
    ],
    importantDates: [{ kind: "DEADLINE", title: "Project due", startsAt: "2026-12-04T23:59" }],
  },
  audience: { expectedEnrollment: 32, expectedConcurrentUsers: 32 },
  resources: {
    memoryGuaranteeMib: 512,
    memoryLimitMib: 1024,
    cpuGuaranteeMilli: 100,
    cpuLimitMilli: 1000,
    storageGib: 1,
  },
  environment: {
    interface: "classic",
    image: { kind: "curated", name: "scipy" },
    autograder: true,
  },
  identity: {
    provider: "oidc",
    issuerUrl: "https://login.cascade.edu",
    allowedEmailDomains: ["cascade.edu"],
  },
  placement: {
    preferredRegion: "local",
    fundingNote: "Cascade's share of the federation's Portal VM.",
  },
};

/** A demo course's request as approved by ops, with its hub (PENDING until the worker provisions it). */
interface ApprovedDemoRequest {
  courseSlug: string;
  form: HubRequestForm;
  requesterEmail: string;
  clusterSlug: string;
  regionSlug: string;
  poolSlug: string;
  submittedAt: string;
  decidedAt: string;
}

const approvedDemoRequests: ApprovedDemoRequest[] = [
  {
    courseSlug: "wvc-data-101-fa26",
    form: data101RequestForm,
    requesterEmail: "prof.rivera@westvalley.edu",
    clusterSlug: "aws-eks-1",
    regionSlug: "us-west",
    poolSlug: "aws-cloud-credits-2026",
    submittedAt: "2026-07-20T17:00:00Z",
    decidedAt: "2026-08-01T17:00:00Z",
  },
  {
    courseSlug: "ccc-cs-120-fa26",
    form: cs120RequestForm,
    requesterEmail: "prof.okafor@cascade.edu",
    clusterSlug: "local-vm",
    regionSlug: "local",
    poolSlug: "cascade-onprem",
    submittedAt: "2026-08-10T17:00:00Z",
    decidedAt: "2026-08-12T17:00:00Z",
  },
];

/** Once per course: a course that has a hub keeps it (and whatever happened to it since). */
async function seedApprovedRequest(db: DatabaseClient, seed: ApprovedDemoRequest): Promise<void> {
  const course = await db.course.findUniqueOrThrow({
    where: { slug: seed.courseSlug },
    include: { hubs: true },
  });
  if (course.hubs.length > 0) return;
  const cluster = await db.cluster.findFirstOrThrow({
    where: { slug: seed.clusterSlug, region: { slug: seed.regionSlug } },
    include: { cloud: true, nodePools: true, region: true },
  });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: seed.poolSlug } });
  const estimate = estimateForm(seed.form, pricingOfCluster(cluster));
  const spec = buildHubSpec(seed.form, regionSettingsOf(cluster.region).defaults);
  const requesterId = await userId(db, seed.requesterEmail);
  const operatorId = await userId(db, "ops@hubfed.example");
  const submittedAt = new Date(seed.submittedAt);
  const decidedAt = new Date(seed.decidedAt);
  await db.$transaction(async (tx) => {
    const request = await tx.hubRequest.create({
      data: {
        status: "APPROVED",
        requesterId,
        institutionId: course.institutionId,
        form: seed.form,
        ...queueColumns(seed.form),
        preferredRegionId: cluster.regionId,
        estimateTotalCents: estimate.totalCents,
        estimatePerStudentMonthCents: Number(estimate.perStudentMonthCents),
        estimateAssumptions: estimate.assumptions,
        clusterId: cluster.id,
        creditPoolId: pool.id,
        courseId: course.id,
        decidedById: operatorId,
        decidedAt,
        submittedAt,
      },
    });
    await tx.hubRequestTransition.createMany({
      data: [
        {
          requestId: request.id,
          toStatus: "DRAFT",
          actorId: requesterId,
          createdAt: new Date(submittedAt.getTime() - 2 * 86_400_000),
        },
        {
          requestId: request.id,
          fromStatus: "DRAFT",
          toStatus: "SUBMITTED",
          actorId: requesterId,
          createdAt: submittedAt,
        },
        {
          requestId: request.id,
          fromStatus: "SUBMITTED",
          toStatus: "APPROVED",
          actorId: operatorId,
          createdAt: decidedAt,
        },
      ],
    });
    const { hub } = await createHubWithHold(tx, {
      course,
      clusterId: cluster.id,
      pool,
      spec,
      holdCents: estimate.totalCents,
      requestId: request.id,
    });
    await tx.hubRequest.update({ where: { id: request.id }, data: { hubId: hub.id } });
  });
}

export async function seedDemoRequests(db: DatabaseClient): Promise<void> {
  for (const approved of approvedDemoRequests) await seedApprovedRequest(db, approved);

  const okaforId = await userId(db, "prof.okafor@cascade.edu");
  const hasCs220 =
    (await db.hubRequest.count({
      where: { requesterId: okaforId, courseCode: cs220RequestForm.course.code },
    })) > 0;
  if (!hasCs220) {
    const cascade = await db.institution.findUniqueOrThrow({ where: { slug: "cascade" } });
    const cluster = await db.cluster.findFirstOrThrow({
      where: { slug: "gcp-gke-1" },
      include: { cloud: true, nodePools: true, region: true },
    });
    const estimate = estimateForm(cs220RequestForm, pricingOfCluster(cluster));
    const region = await db.region.findUniqueOrThrow({ where: { slug: "us-west" } });
    await db.$transaction(async (tx) => {
      const request = await tx.hubRequest.create({
        data: {
          status: "SUBMITTED",
          requesterId: okaforId,
          institutionId: cascade.id,
          form: cs220RequestForm,
          ...queueColumns(cs220RequestForm),
          preferredRegionId: region.id,
          estimateTotalCents: estimate.totalCents,
          estimatePerStudentMonthCents: Number(estimate.perStudentMonthCents),
          estimateAssumptions: estimate.assumptions,
          submittedAt: new Date("2026-11-10T18:00:00Z"),
        },
      });
      await tx.hubRequestTransition.createMany({
        data: [
          {
            requestId: request.id,
            toStatus: "DRAFT",
            actorId: okaforId,
            createdAt: new Date("2026-11-09T18:00:00Z"),
          },
          {
            requestId: request.id,
            fromStatus: "DRAFT",
            toStatus: "SUBMITTED",
            actorId: okaforId,
            createdAt: new Date("2026-11-10T18:00:00Z"),
          },
        ],
      });
    });
  }
}
