import { beforeAll, describe, expect, it } from "vitest";
import type { DatabaseClient, HubStatus } from "@hubfed/db";
import { useTestDatabase } from "@hubfed/db/testing";
import { seedDemoFederation } from "../testing/demo-federation";
import { createInteractCache } from "./interact-cache";
import type { InteractRequest } from "./interact-request";
import { resolveInteractRequest } from "./resolve-interact";
import { sameOriginPath } from "@hubfed/auth/return-target";

// The interact router against the demo federation: what each kind of
// visitor gets for each form, multi-hub placement, and the security table —
// malicious and malformed links that must all be refused with a message,
// none of them redirecting anywhere.

const database = useTestDatabase();
const hubOrigin = "https://data101.hubs.example.org";

let studentId: string;
let outsiderId: string;
let liveCode: string;
let archivedCode: string;
let cs120Code: string;

async function userIdOf(db: DatabaseClient, email: string) {
  return (await db.user.findUniqueOrThrow({ where: { email } })).id;
}

async function createLink(db: DatabaseClient, courseSlug: string, code: string, archived = false) {
  const course = await db.course.findUniqueOrThrow({ where: { slug: courseSlug } });
  await db.contentLink.create({
    data: {
      courseId: course.id,
      code,
      title: `Lab for ${code}`,
      repositoryUrl:
        courseSlug === "ccc-cs-120-fa26"
          ? "https://github.com/cascade-cs/cs120"
          : "https://github.com/westvalley-data/labs",
      branch: "main",
      path: "lab01/lab 01.ipynb",
      interface: "LAB",
      archivedAt: archived ? new Date() : null,
    },
  });
  return code;
}

async function setHub(db: DatabaseClient, slug: string, status: HubStatus, url: string | null) {
  await db.hub.update({ where: { slug }, data: { status, url } });
}

beforeAll(async () => {
  const db = database().db;
  await seedDemoFederation(db);
  studentId = await userIdOf(db, "student@westvalley.edu");
  outsiderId = await userIdOf(db, "prof.okafor@cascade.edu");
  liveCode = await createLink(db, "wvc-data-101-fa26", "labone23");
  archivedCode = await createLink(db, "wvc-data-101-fa26", "oldlab23", true);
  cs120Code = await createLink(db, "ccc-cs-120-fa26", "cslab234");
  await setHub(db, "wvc-data-101-fa26", "READY", hubOrigin);
});

const resolve = (request: InteractRequest) => resolveInteractRequest(database().db, request);
const query = (value: string) => new URLSearchParams(value);

describe("the three forms for an enrolled student", () => {
  it("/i/<code> redirects to nbgitpuller on the course's hub, built from our records", async () => {
    const outcome = await resolve({ form: "code", code: liveCode, userId: studentId });
    expect(outcome.kind).toBe("redirect");
    if (outcome.kind !== "redirect") return;
    const location = new URL(outcome.location);
    expect(location.origin).toBe(hubOrigin);
    expect(location.pathname).toBe("/hub/user-redirect/git-pull");
    expect(Object.fromEntries(location.searchParams)).toEqual({
      repo: "https://github.com/westvalley-data/labs",
      branch: "main",
      urlpath: "lab/tree/labs/lab01/lab%2001.ipynb",
      targetPath: "labs",
    });
    expect(outcome.linkId).toBeTruthy();
  });

  it("the classic form keeps its parameters but takes the origin from the course's hub", async () => {
    const outcome = await resolve({
      form: "classic",
      query: query(
        "course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&branch=main&urlpath=tree/labs/x.ipynb&targetPath=week1",
      ),
      userId: studentId,
    });
    expect(outcome.kind).toBe("redirect");
    if (outcome.kind !== "redirect") return;
    const location = new URL(outcome.location);
    expect(location.origin).toBe(hubOrigin);
    expect(location.searchParams.get("urlpath")).toBe("tree/labs/x.ipynb");
    expect(location.searchParams.get("targetPath")).toBe("week1");
  });

  it("the legacy Data 8 form finds the course through the allow-lists of the student's enrollments", async () => {
    const outcome = await resolve({
      form: "legacy",
      query: query(
        "repo=materials&account=westvalley-data&path=old/first.ipynb&path=hw/hw01.ipynb",
      ),
      userId: studentId,
    });
    expect(outcome.kind).toBe("redirect");
    if (outcome.kind !== "redirect") return;
    const location = new URL(outcome.location);
    expect(location.origin).toBe(hubOrigin);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      repo: "https://github.com/westvalley-data/materials",
      branch: "gh-pages",
      urlpath: "tree/materials/hw/hw01.ipynb",
      targetPath: "materials",
    });
  });
});

describe("visitors who may not go straight through", () => {
  it("sends a visitor to sign in with a path-only return", async () => {
    expect(await resolve({ form: "code", code: liveCode, userId: null })).toEqual({
      kind: "sign-in",
      next: `/i/${liveCode}`,
    });
    const classic = await resolve({
      form: "classic",
      query: query(
        "course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&utm_source=x&branch=main",
      ),
      userId: null,
    });
    expect(classic).toEqual({
      kind: "sign-in",
      next: "/interact?course=wvc-data-101-fa26&repo=https%3A%2F%2Fgithub.com%2Fwestvalley-data%2Flabs&branch=main",
    });
  });

  it("offers the join page when a join code is open, and refuses otherwise", async () => {
    const db = database().db;
    const refused = await resolve({ form: "code", code: liveCode, userId: outsiderId });
    expect(refused).toMatchObject({ kind: "refuse", status: 403, title: /not enrolled/ });
    const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    await db.joinCode.create({
      data: {
        courseId: course.id,
        code: "JOINDATA101",
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    expect(await resolve({ form: "code", code: liveCode, userId: outsiderId })).toEqual({
      kind: "join",
      next: `/i/${liveCode}`,
    });
    await db.joinCode.updateMany({
      where: { courseId: course.id },
      data: { revokedAt: new Date() },
    });
    expect((await resolve({ form: "code", code: liveCode, userId: outsiderId })).kind).toBe(
      "refuse",
    );
  });

  it("course details: /interact?course=… tells a signed-in outsider nothing about the course", async () => {
    const db = database().db;
    const course = await db.course.findUniqueOrThrow({ where: { slug: "wvc-data-101-fa26" } });
    const classic = () =>
      resolve({
        form: "classic",
        query: query("course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs"),
        userId: outsiderId,
      });
    const mentionsCourse = (outcome: unknown) =>
      [course.title, course.code, course.term].some((detail) =>
        JSON.stringify(outcome).includes(detail),
      );
    const refused = await classic();
    expect(refused.kind).toBe("refuse");
    expect(mentionsCourse(refused)).toBe(false);
    await db.joinCode.create({ data: { courseId: course.id, code: "OPENDATA101" } });
    const offered = await classic();
    expect(offered.kind).toBe("join");
    expect(mentionsCourse(offered)).toBe(false);
    await db.joinCode.updateMany({
      where: { courseId: course.id },
      data: { revokedAt: new Date() },
    });
  });

  it("shows the hub's status while it is not READY", async () => {
    await setHub(database().db, "ccc-cs-120-fa26", "PROVISIONING", null).catch(() => undefined);
    const outcome = await resolve({ form: "code", code: cs120Code, userId: studentId });
    expect(outcome.kind).toBe("hub-not-ready");
    if (outcome.kind !== "hub-not-ready") return;
    expect(outcome.course.slug).toBe("ccc-cs-120-fa26");
    expect(outcome.next).toBe(`/i/${cs120Code}`);
    expect(outcome.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe("courses with several hubs", () => {
  it("places students by weight among READY hubs, keeps them there, and moves them only when their hub is gone", async () => {
    const db = database().db;
    const course = await db.course.findUniqueOrThrow({
      where: { slug: "wvc-data-101-fa26" },
      include: { hubs: true },
    });
    const template = course.hubs[0]!;
    const second = await db.hub.create({
      data: {
        slug: "wvc-data-101-fa26-b",
        courseId: course.id,
        clusterId: template.clusterId,
        status: "READY",
        url: "https://section-b.hubs.example.org",
        weight: 100,
        spec: template.spec ?? {},
      },
    });
    const students: string[] = [];
    for (let index = 0; index < 24; index += 1) {
      const user = await db.user.create({
        data: { email: `multi-${index}@westvalley.edu`, username: `multi-${index}` },
      });
      await db.enrollment.create({
        data: { userId: user.id, courseId: course.id, role: "STUDENT" },
      });
      students.push(user.id);
    }
    const originsFor = async () => {
      const origins = [];
      for (const userId of students) {
        const outcome = await resolve({ form: "code", code: liveCode, userId });
        if (outcome.kind !== "redirect")
          throw new Error(`expected a redirect, got ${outcome.kind}`);
        origins.push(new URL(outcome.location).origin);
      }
      return origins;
    };
    const first = await originsFor();
    expect(new Set(first)).toEqual(new Set([hubOrigin, "https://section-b.hubs.example.org"]));
    // The placement is written off the hot path; wait for it.
    await expect
      .poll(() =>
        db.enrollment.count({ where: { userId: { in: students }, hubId: { not: null } } }),
      )
      .toBe(students.length);

    // Section B turns unhealthy: its students stay (their files are there) and see its status.
    await db.hub.update({ where: { id: second.id }, data: { status: "DEGRADED" } });
    const onB = students.filter(
      (_, index) => first[index] === "https://section-b.hubs.example.org",
    );
    for (const userId of onB)
      expect((await resolve({ form: "code", code: liveCode, userId })).kind).toBe("hub-not-ready");

    // Section B is retired: its students are placed on the remaining hub.
    await db.hub.update({ where: { id: second.id }, data: { status: "ARCHIVED" } });
    for (const userId of onB) {
      const outcome = await resolve({ form: "code", code: liveCode, userId });
      expect(outcome.kind === "redirect" && new URL(outcome.location).origin).toBe(hubOrigin);
    }
  });

  it("serves from the cache without the database once warm", async () => {
    const cache = createInteractCache();
    const request: InteractRequest = { form: "code", code: liveCode, userId: studentId };
    const cold = await resolveInteractRequest(database().db, request, { cache });
    const failingDatabase = new Proxy({} as DatabaseClient, {
      get() {
        throw new Error("the warm path must not touch the database");
      },
    });
    expect(await resolveInteractRequest(failingDatabase, request, { cache })).toEqual(cold);
  });
});

// ---------------------------------------------------------------------------
// The security table (issue 6 acceptance): every row refused with a clear
// message, none redirecting.

const classicBase =
  "course=wvc-data-101-fa26&repo=https://github.com/westvalley-data/labs&branch=main";
const classic = (overrides: Record<string, string>) => {
  const parameters = query(classicBase);
  for (const [name, value] of Object.entries(overrides)) parameters.set(name, value);
  return parameters;
};

interface MaliciousCase {
  name: string;
  request: (ids: { studentId: string }) => InteractRequest;
  message: RegExp;
}

const classicCase = (
  name: string,
  overrides: Record<string, string>,
  message: RegExp,
): MaliciousCase => ({
  name,
  request: ({ studentId: userId }) => ({ form: "classic", query: classic(overrides), userId }),
  message,
});
const legacyCase = (name: string, value: string, message: RegExp): MaliciousCase => ({
  name,
  request: ({ studentId: userId }) => ({ form: "legacy", query: query(value), userId }),
  message,
});
const codeCase = (name: string, code: () => string, message: RegExp): MaliciousCase => ({
  name,
  request: ({ studentId: userId }) => ({ form: "code", code: code(), userId }),
  message,
});

const maliciousCases: MaliciousCase[] = [
  classicCase(
    "repository on another host",
    { repo: "https://evil.example/westvalley-data/labs" },
    /evil\.example\/westvalley-data is not among this course's allowed repositories/,
  ),
  classicCase(
    "protocol-relative repository",
    { repo: "//evil.example/westvalley-data/labs" },
    /full HTTPS URL/,
  ),
  classicCase(
    "http:// repository",
    { repo: "http://github.com/westvalley-data/labs" },
    /Only HTTPS/,
  ),
  classicCase(
    "ssh:// repository",
    { repo: "ssh://git@github.com/westvalley-data/labs" },
    /Only HTTPS.*ssh/,
  ),
  classicCase(
    "git:// repository",
    { repo: "git://github.com/westvalley-data/labs" },
    /Only HTTPS.*git/,
  ),
  classicCase("file:// repository", { repo: "file:///etc/passwd" }, /Only HTTPS.*file/),
  classicCase(
    "scp-style repository",
    { repo: "git@github.com:westvalley-data/labs.git" },
    /full HTTPS URL/,
  ),
  classicCase(
    "argument injection --upload-pack",
    { repo: "--upload-pack=touch /tmp/pwned" },
    /cannot start with “-”/,
  ),
  classicCase(
    "argument injection -u",
    { repo: "-u https://github.com/westvalley-data/labs" },
    /cannot start with “-”/,
  ),
  classicCase(
    "credentials in the URL",
    { repo: "https://user:ghp_token@github.com/westvalley-data/labs" },
    /credentials/,
  ),
  classicCase(
    "userinfo look-alike github.com@evil",
    { repo: "https://github.com@evil.example/westvalley-data/labs" },
    /credentials/,
  ),
  classicCase(
    "look-alike host github.com.evil.example",
    { repo: "https://github.com.evil.example/westvalley-data/labs" },
    /is not among this course's allowed repositories/,
  ),
  classicCase(
    "backslash host trick",
    { repo: "https://evil.example\\@github.com/westvalley-data/labs" },
    /backslashes/,
  ),
  classicCase("IDN host", { repo: "https://gíthub.com/westvalley-data/labs" }, /ASCII/),
  classicCase(
    "punycode host",
    { repo: "https://xn--gthub-zsa.com/westvalley-data/labs" },
    /not a valid host/,
  ),
  classicCase(
    "query in the repository",
    { repo: "https://github.com/westvalley-data/labs?x=https://evil.example" },
    /query or fragment/,
  ),
  classicCase(
    "fragment in the repository",
    { repo: "https://github.com/westvalley-data/labs#x" },
    /query or fragment/,
  ),
  classicCase(
    "encoded traversal in the repository",
    { repo: "https://github.com/westvalley-data/%2e%2e/evil/x" },
    /percent-encoded/,
  ),
  classicCase(
    "traversal in the repository",
    { repo: "https://github.com/westvalley-data/../evil/labs" },
    /“\.” or “\.\.”/,
  ),
  classicCase(
    "port on the repository",
    { repo: "https://github.com:8443/westvalley-data/labs" },
    /port/,
  ),
  classicCase(
    "organisation prefix look-alike",
    { repo: "https://github.com/westvalley-data-evil/labs" },
    /is not among this course's allowed repositories/,
  ),
  classicCase(
    "CRLF in the repository",
    { repo: "https://github.com/westvalley-data/labs\r\nLocation: https://evil.example" },
    /control characters/,
  ),
  classicCase("branch a..b", { branch: "a..b" }, /“\.\.”/),
  classicCase("branch @{", { branch: "main@{1}" }, /@\{/),
  classicCase("branch ~", { branch: "main~1" }, /“~”/),
  classicCase("branch ^", { branch: "main^" }, /“\^”/),
  classicCase("branch :", { branch: "refs:heads" }, /“:”/),
  classicCase("branch .lock", { branch: "topic.lock" }, /\.lock/),
  classicCase("branch option injection", { branch: "--upload-pack=evil" }, /cannot start with “-”/),
  classicCase("absolute urlpath", { urlpath: "/etc/passwd" }, /must be relative/),
  classicCase("protocol-relative urlpath", { urlpath: "//evil.example/x" }, /relative/),
  classicCase(
    "full URL as urlpath",
    { urlpath: "https://evil.example/" },
    /empty segment|interface/,
  ),
  classicCase("urlpath traversal", { urlpath: "lab/tree/../../../hub/admin" }, /“\.\.”/),
  classicCase("urlpath encoded traversal", { urlpath: "lab/tree/%2e%2e/%2e%2e/hub/admin" }, /“%”/),
  classicCase("urlpath double-encoded traversal", { urlpath: "lab/tree/%252e%252e/hub" }, /“%”/),
  classicCase("urlpath backslashes", { urlpath: "lab\\..\\..\\hub" }, /backslashes/),
  classicCase(
    "urlpath header injection",
    { urlpath: "lab/tree/x\r\nSet-Cookie: a=b" },
    /control characters/,
  ),
  classicCase("urlpath outside the interfaces", { urlpath: "hub/admin" }, /must open an interface/),
  classicCase("urlpath into a dot-folder", { urlpath: "tree/.ssh/authorized_keys" }, /hidden/),
  classicCase(
    "targetPath into a dot-folder",
    { targetPath: ".ipython/profile_default/startup" },
    /hidden/,
  ),
  classicCase("absolute targetPath", { targetPath: "/home/jovyan" }, /must be relative/),
  classicCase("targetPath traversal", { targetPath: "../other-student" }, /“\.\.”/),
  classicCase("encoded targetPath traversal", { targetPath: "%2e%2e/x" }, /“%”/),
  classicCase("full-width dots", { targetPath: "．．/x" }, /“\.\.”/),
  classicCase("home-relative targetPath", { targetPath: "~/x" }, /must be relative/),
  classicCase("option-like targetPath", { targetPath: "-rf" }, /start with “-”/),
  classicCase("unknown course", { course: "no-such-course" }, /does not exist/),
  classicCase("course slug traversal", { course: "../ops" }, /does not exist/),
  {
    name: "repo given twice",
    request: ({ studentId: userId }) => ({
      form: "classic",
      query: query(`${classicBase}&repo=https://evil.example/x/y`),
      userId,
    }),
    message: /more than once/,
  },
  {
    name: "no repository",
    request: ({ studentId: userId }) => ({
      form: "classic",
      query: query("course=wvc-data-101-fa26"),
      userId,
    }),
    message: /which repository/,
  },
  codeCase("archived link", () => archivedCode, /archived/),
  codeCase("unknown code", () => "zzzzzzzz", /No content link/),
  codeCase("code with traversal", () => "../../ops", /No content link/),
  codeCase("code with an encoded slash", () => "abc%2Fdef", /No content link/),
  legacyCase("legacy repository traversal", "repo=..&path=x", /repository name/),
  legacyCase("legacy account with a host", "repo=labs&account=evil.example/x", /account name/),
  legacyCase(
    "legacy path traversal",
    "repo=labs&account=westvalley-data&path=../../etc/passwd",
    /“\.\.”/,
  ),
  legacyCase("legacy branch", "repo=labs&account=westvalley-data&branch=a..b", /“\.\.”/),
  legacyCase(
    "legacy dot-folder path",
    "repo=labs&account=westvalley-data&path=.ipython/x.py",
    /hidden/,
  ),
  legacyCase(
    "legacy repository of no course of the student",
    "repo=labs&account=evil-org",
    /None of the courses/,
  ),
  {
    name: "student not enrolled in the link's course",
    request: () => ({ form: "code", code: liveCode, userId: outsiderId }),
    message: /not enrolled/,
  },
];

describe("the security table", () => {
  it("has at least 40 rows", () => expect(maliciousCases.length).toBeGreaterThanOrEqual(40));

  for (const row of maliciousCases)
    it(`refuses: ${row.name}`, async () => {
      const outcome = await resolve(row.request({ studentId }));
      expect(outcome.kind).toBe("refuse");
      if (outcome.kind !== "refuse") return;
      expect(outcome.message).toMatch(row.message);
      expect(outcome.title.length).toBeGreaterThan(3);
    });

  it("none of them redirects anywhere, signed in or not", async () => {
    for (const row of maliciousCases) {
      const request = row.request({ studentId });
      for (const userId of [request.userId, null]) {
        const outcome = await resolve({ ...request, userId });
        expect(outcome.kind, row.name).not.toBe("redirect");
        if (outcome.kind === "sign-in")
          expect(sameOriginPath(outcome.next, "https://portal.example")).toBe(outcome.next);
      }
    }
  });
});
