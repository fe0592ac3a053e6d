import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@hubfed/auth/permissions";
import { useTestDatabase } from "@hubfed/db/testing";
import { createInMemoryJobQueues } from "@hubfed/jobs";
import { isAppError } from "../errors";
import { actorFor, seedDemoFederation } from "../testing/demo-federation";
import { approveRequest } from "./approval";
import { saveDraft, submitRequest } from "./authoring";
import type { HubRequestForm } from "./form";
import { getRequestDetail } from "./queries";

// The hardening issue, item 2: the domains typed into a request became the new institution's on
// approval, with the requester as its admin, so anyone could claim another college's domain.

const database = useTestDatabase();
const queues = createInMemoryJobQueues();

let ops: Actor;

async function personAt(email: string, { verified = true } = {}): Promise<Actor> {
  const db = database().db;
  await db.user.create({
    data: {
      email,
      username: email.split("@")[0]?.replace(/[^a-z0-9]+/g, "-") ?? "someone",
      emailVerified: verified ? new Date() : null,
    },
  });
  return actorFor(db, email);
}

beforeAll(async () => {
  await seedDemoFederation(database().db);
  ops = await actorFor(database().db, "ops@hubfed.example");
});

function newInstitutionForm(name: string, emailDomains: string[]): HubRequestForm {
  return {
    institution: {
      name,
      emailDomains,
      contacts: [{ name: "Registrar", email: `registrar@${emailDomains[0]}`, role: "IT" }],
    },
    course: {
      code: "BIO 110",
      title: "Data in Biology",
      term: "Spring 2027",
      startDate: "2027-01-25",
      endDate: "2027-05-21",
      timezone: "America/Los_Angeles",
    },
    schedule: { meetings: [], importantDates: [] },
    audience: { expectedEnrollment: 30, expectedConcurrentUsers: 20 },
    resources: {
      memoryGuaranteeMib: 1024,
      memoryLimitMib: 2048,
      cpuGuaranteeMilli: 250,
      cpuLimitMilli: 1000,
      storageGib: 5,
    },
    environment: { interface: "lab", image: { kind: "curated", name: "scipy" }, autograder: false },
    identity: { provider: "google", allowedEmailDomains: emailDomains },
    placement: { preferredRegion: "us-west", preferredCloud: "aws" },
  };
}

async function draftOf(actor: Actor, form: HubRequestForm) {
  return saveDraft({ db: database().db, actor }, { draft: form });
}

async function submitted(actor: Actor, form: HubRequestForm) {
  const draft = await draftOf(actor, form);
  return submitRequest({ db: database().db, actor }, { requestId: draft.id });
}

async function placement() {
  const db = database().db;
  const cluster = await db.cluster.findFirstOrThrow({ where: { slug: "aws-eks-1" } });
  const pool = await db.creditPool.findUniqueOrThrow({ where: { slug: "aws-cloud-credits-2026" } });
  return { clusterId: cluster.id, creditPoolId: pool.id };
}

async function approve(requestId: string, confirmedEmailDomains?: string[]) {
  return approveRequest(
    { db: database().db, actor: ops, queues },
    { requestId, ...(await placement()), confirmedEmailDomains },
  );
}

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isAppError(error)) return { code: error.code, fieldErrors: error.fieldErrors };
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("domain claims", () => {
  it("a requester cannot claim a domain that is not their verified sign-in domain", async () => {
    const mallory = await personAt("mallory@mallory.example");
    const refused = await failure(
      submitted(mallory, newInstitutionForm("Riverside College", ["riverside.edu"])),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.fieldErrors["institution.emailDomains"]).toEqual([
      "riverside.edu is not the domain of your verified sign-in email: claim only your own",
    ]);
    // Her own domain beside another college's: the other one is still refused.
    const mixed = await failure(
      submitted(mallory, newInstitutionForm("Mallory U", ["mallory.example", "riverside.edu"])),
    );
    expect(mixed.fieldErrors["institution.emailDomains"]).toEqual([
      "riverside.edu is not the domain of your verified sign-in email: claim only your own",
    ]);
  });

  it("a requester whose sign-in email is not verified cannot claim even its domain", async () => {
    const unverified = await personAt("someone@lakeshore.edu", { verified: false });
    const refused = await failure(
      submitted(unverified, newInstitutionForm("Lakeshore College", ["lakeshore.edu"])),
    );
    expect(refused.fieldErrors["institution.emailDomains"]?.[0]).toMatch(
      /lakeshore.edu is not the domain of your verified sign-in email/,
    );
  });

  it("ops see each domain, must confirm them, and the requester's own becomes the institution's", async () => {
    const db = database().db;
    const dean = await personAt("dean@hillcrest.edu");
    const request = await submitted(
      dean,
      newInstitutionForm("Hillcrest College", ["hillcrest.edu"]),
    );
    const detail = await getRequestDetail(db, ops, request.id);
    expect(detail.domainClaims).toEqual([
      { domain: "hillcrest.edu", isRequesterDomain: true, claimedBy: null },
    ]);
    // Not confirmed, or confirmed with a domain more: refused, nothing written.
    for (const confirmed of [undefined, [], ["hillcrest.edu", "westvalley.edu"]]) {
      const refused = await failure(approve(request.id, confirmed));
      expect(refused.fieldErrors.confirmedEmailDomains).toEqual([
        "confirm each domain the new institution will own: hillcrest.edu",
      ]);
    }
    expect(await db.institution.count({ where: { name: "Hillcrest College" } })).toBe(0);
    await approve(request.id, ["Hillcrest.edu"]);
    const institution = await db.institution.findFirstOrThrow({
      where: { name: "Hillcrest College" },
      include: { memberships: true },
    });
    expect(institution.emailDomains).toEqual(["hillcrest.edu"]);
    expect(institution.memberships).toEqual([
      expect.objectContaining({ userId: dean.userId, role: "ADMIN" }),
    ]);
    // A later requester from that domain lands under it.
    const colleague = await personAt("prof@hillcrest.edu");
    const draft = await draftOf(colleague, newInstitutionForm("Hillcrest", ["hillcrest.edu"]));
    expect(draft.institutionId).toBe(institution.id);
  });

  it("a domain already claimed is refused, at submission and at approval", async () => {
    const db = database().db;
    // Two people at the same college start requests before either institution exists.
    const first = await personAt("first@meadow.edu");
    const second = await personAt("second@meadow.edu");
    const firstRequest = await submitted(
      first,
      newInstitutionForm("Meadow College", ["meadow.edu"]),
    );
    const secondRequest = await submitted(second, newInstitutionForm("Meadow CC", ["meadow.edu"]));
    await approve(firstRequest.id, ["meadow.edu"]);
    expect((await getRequestDetail(db, ops, secondRequest.id)).domainClaims).toEqual([
      {
        domain: "meadow.edu",
        isRequesterDomain: true,
        claimedBy: { slug: expect.any(String) as string, name: "Meadow College" },
      },
    ]);
    const refused = await failure(approve(secondRequest.id, ["meadow.edu"]));
    expect(refused.fieldErrors["institution.emailDomains"]).toEqual([
      "meadow.edu already belongs to Meadow College",
    ]);
    expect(await db.institution.count({ where: { emailDomains: { has: "meadow.edu" } } })).toBe(1);
    // The demo's colleges' domains are claimed too.
    const westValley = await db.institution.findUniqueOrThrow({ where: { slug: "west-valley" } });
    const stray = await db.hubRequest.create({
      data: {
        requesterId: second.userId,
        form: newInstitutionForm("West Valley", ["westvalley.edu"]),
        status: "DRAFT",
      },
    });
    expect(stray.institutionId).toBeNull();
    const claimed = await failure(submitRequest({ db, actor: second }, { requestId: stray.id }));
    expect(claimed.fieldErrors["institution.emailDomains"]).toContain(
      `westvalley.edu already belongs to ${westValley.name}`,
    );
  });

  it("approval refuses a foreign domain even on a request that got past submission", async () => {
    const db = database().db;
    const mallory = await personAt("pat@pinecone.example");
    const request = await submitted(mallory, newInstitutionForm("Pinecone", ["pinecone.example"]));
    // As a request submitted before the check existed: the stored form names another college.
    await db.hubRequest.update({
      where: { id: request.id },
      data: { form: newInstitutionForm("Birch College", ["birch.edu"]) },
    });
    const detail = await getRequestDetail(db, ops, request.id);
    expect(detail.domainClaims).toEqual([
      { domain: "birch.edu", isRequesterDomain: false, claimedBy: null },
    ]);
    const refused = await failure(approve(request.id, ["birch.edu"]));
    expect(refused.fieldErrors["institution.emailDomains"]).toEqual([
      "birch.edu is not the domain of your verified sign-in email: claim only your own",
    ]);
    expect(await db.institution.count({ where: { emailDomains: { has: "birch.edu" } } })).toBe(0);
  });

  it("two approvals claiming one domain at once: exactly one institution gets it", async () => {
    const db = database().db;
    const one = await personAt("one@twin.edu");
    const two = await personAt("two@twin.edu");
    const requests = [
      await submitted(one, newInstitutionForm("Twin College", ["twin.edu"])),
      await submitted(two, newInstitutionForm("Twin CC", ["twin.edu"])),
    ];
    const outcomes = await Promise.allSettled(
      requests.map((request) => approve(request.id, ["twin.edu"])),
    );
    expect(outcomes.filter((outcome) => outcome.status === "fulfilled")).toHaveLength(1);
    expect(await db.institution.count({ where: { emailDomains: { has: "twin.edu" } } })).toBe(1);
  });
});
