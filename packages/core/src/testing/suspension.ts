import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { DatabaseClient } from "@hubfed/db";
import {
  createIdentityRequestHandler,
  createPortalSessionReader,
  type IdentityRequestHandler,
} from "@hubfed/identity";
import type { SecretBox } from "@hubfed/identity/secret-box";
import { isHubSigningIn } from "../hubs/lifecycle";
import { listMyHubs } from "../enrollment/my-hubs";
import { resolveInteractRequest } from "../links/resolve-interact";
import type { HubBudgetSwitch } from "../credits/hub-budget-switch";
import { postDailyUsage, sampleHubUsage, type HubUsageProbe } from "../metering/metering";

// What the suspension tests of both runtimes share: the portal's OpenID Connect provider over
// real HTTP (packages/identity, with the portal's sign-in rule), a day of metered usage posted
// through the daily posting, and what a student sees of the hub.

export const testNextAuthSecret = "a-test-nextauth-secret-of-at-least-32-characters";

export interface PortalIdentity {
  portalUrl: string;
  close(): Promise<void>;
}

/** The portal's OIDC provider at `<portalUrl>/oidc`, as apps/portal/server.ts mounts it. */
export async function startPortalIdentity(
  db: DatabaseClient,
  secretBox: SecretBox,
  secretKey: string,
): Promise<PortalIdentity> {
  // The provider needs the portal's URL, which is known once the server listens.
  const provider: { handler?: IdentityRequestHandler } = {};
  const server: Server = createServer((request, response) => {
    void provider.handler?.handle(request, response).then((handled) => {
      if (handled) return;
      response.statusCode = 404;
      response.end("not the provider's");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider.handler = createIdentityRequestHandler(
    {
      db,
      secretBox,
      portalUrl,
      secretKey,
      readPortalSession: createPortalSessionReader({ secret: testNextAuthSecret, portalUrl }),
      hubSignsPeopleIn: isHubSigningIn,
    },
    { keyCheckIntervalMilliseconds: 0 },
  );
  return {
    portalUrl,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Opens the provider's authorization endpoint for the hub's client, as a hub's login button does,
 * and returns the provider's answer (a refusal page, or a redirect onwards).
 */
export async function askToSignIn(
  portalUrl: string,
  { clientId, redirectUri }: { clientId: string; redirectUri: string },
): Promise<Response> {
  const query = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirectUri,
    response_type: "code",
    scope: "openid profile groups",
    // Any S256 challenge: the provider looks at the client before anything else.
    code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    code_challenge_method: "S256",
    state: "suspension-test",
  });
  return fetch(`${portalUrl}/oidc/auth?${query.toString()}`, { redirect: "manual" });
}

/**
 * Samples the hub's usage through its runtime's probe every fifteen minutes of `day` (what the
 * metering job records), then runs the daily posting for that day.
 */
export async function meterAndPostDay(
  db: DatabaseClient,
  {
    day,
    probe,
    hubs,
    samplesPerDay = 96,
  }: { day: Date; probe: HubUsageProbe; hubs: HubBudgetSwitch; samplesPerDay?: number },
) {
  const spanMs = 86_400_000 / samplesPerDay;
  for (let index = 0; index < samplesPerDay; index += 1) {
    const { errors } = await sampleHubUsage(db, () => probe, {
      now: new Date(day.getTime() + index * spanMs),
    });
    if (errors.length > 0) throw new Error(`metering failed: ${JSON.stringify(errors)}`);
  }
  return postDailyUsage(db, { hubs, day, now: new Date(day.getTime() + 86_400_000 + 3_600_000) });
}

/**
 * Makes the hub's allocation one that a day of use exhausts: the SUSPEND policy, no grace period
 * and a budget of one cent (what is held stays held: the day is paid, the budget is spent).
 */
export async function giveHubATinySuspendBudget(db: DatabaseClient, hubId: string) {
  return db.allocation.update({
    where: { hubId },
    data: { limitPolicy: "SUSPEND", suspendGraceHours: 0, budgetCents: 1n },
  });
}

/** What a student sees of the course's hub: My hubs and a content link of the course. */
export async function whatTheStudentSees(
  db: DatabaseClient,
  { userId, courseSlug, linkCode }: { userId: string; courseSlug: string; linkCode: string },
) {
  const myHub = (await listMyHubs(db, userId)).find((entry) => entry.course.slug === courseSlug);
  const link = await resolveInteractRequest(db, { form: "code", code: linkCode, userId });
  return { myHub: myHub?.hub ?? null, link };
}

/** A content link of the course, as staff publish it. */
export async function publishTestLink(
  db: DatabaseClient,
  { courseId, code }: { courseId: string; code: string },
) {
  await db.contentLink.create({
    data: {
      courseId,
      code,
      title: "Lab 1",
      repositoryUrl: "https://github.com/westvalley-data/labs",
      branch: "main",
      path: "lab01/lab1.ipynb",
      interface: "LAB",
    },
  });
}
