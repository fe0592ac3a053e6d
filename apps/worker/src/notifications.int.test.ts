import { once } from "node:events";
import type { AddressInfo } from "node:net";
import nodemailer from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendPendingEmails } from "@hubfed/core";
import { useTestDatabase } from "@hubfed/db/testing";

const database = useTestDatabase();

interface ReceivedMail {
  from: string;
  to: string[];
  body: string;
}

// A real SMTP server on loopback, so the test checks what nodemailer actually sends.
const received: ReceivedMail[] = [];
const refusals = new Map<string, { code: number; message: string }>([
  ["gone@westvalley.edu", { code: 550, message: "No such user here" }],
  ["full@westvalley.edu", { code: 452, message: "Mailbox full, try later" }],
]);
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  // Like a real mail server: an unknown mailbox is refused for good, a full one for now.
  onRcptTo(address, _session, callback) {
    const refusal = refusals.get(address.address);
    if (!refusal) return callback();
    callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }));
  },
  onData(stream, session, callback) {
    let body = "";
    stream.on("data", (chunk: Buffer) => (body += chunk.toString()));
    stream.on("end", () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
        body,
      });
      callback();
    });
  },
});

let port = 0;
beforeAll(async () => {
  smtp.listen(0, "127.0.0.1");
  await once(smtp.server, "listening");
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => smtp.close(() => resolve())));

describe("notification email", () => {
  it("sends each in-app notification once, to its person, with a link into the portal", async () => {
    const db = database().db;
    const user = await db.user.create({
      data: { username: "mail-test", email: "ana@westvalley.edu", name: "Ana" },
    });
    await db.notification.create({
      data: {
        userId: user.id,
        kind: "hub-request.approved",
        title: "Approved: DATA 101",
        body: "Your hub is being set up.",
        href: "/requests/abc",
      },
    });
    const transport = nodemailer.createTransport({
      host: "127.0.0.1",
      port,
      secure: false,
      ignoreTLS: true,
    });
    const options = {
      transport,
      from: "Hubfed <no-reply@hubfed.example>",
      portalUrl: "https://hubfed.example.org",
    };

    expect(await sendPendingEmails(db, options)).toBe(1);
    expect(await sendPendingEmails(db, options)).toBe(0);

    expect(received).toHaveLength(1);
    const mail = received[0];
    expect(mail?.to).toEqual(["ana@westvalley.edu"]);
    expect(mail?.from).toBe("no-reply@hubfed.example");
    expect(mail?.body).toContain("Subject: Approved: DATA 101");
    expect(mail?.body).toContain("https://hubfed.example.org/requests/abc");
    expect(
      (await db.notification.findFirstOrThrow({ where: { userId: user.id } })).emailedAt,
    ).not.toBeNull();
  });

  it("mail delivery: one refused address does not stop everyone else's mail", async () => {
    const db = database().db;
    const people = await Promise.all(
      ["gone", "full", "bo", "cy"].map((name) =>
        db.user.create({ data: { username: `mail-${name}`, email: `${name}@westvalley.edu` } }),
      ),
    );
    for (const person of people)
      await db.notification.create({
        data: { userId: person.id, kind: "test", title: `For ${person.username}`, body: "Hi" },
      });
    const options = {
      transport: nodemailer.createTransport({ host: "127.0.0.1", port, ignoreTLS: true }),
      from: "Hubfed <no-reply@hubfed.example>",
      portalUrl: "https://hubfed.example.org",
      maxAttempts: 2,
    };
    const stateOf = async (username: string) =>
      db.notification.findFirstOrThrow({ where: { user: { username } } });
    received.length = 0;

    // The refused addresses come first (oldest); the two after them are still sent.
    expect(await sendPendingEmails(db, options)).toBe(2);
    expect(received.flatMap((mail) => mail.to).sort()).toEqual([
      "bo@westvalley.edu",
      "cy@westvalley.edu",
    ]);
    const gone = await stateOf("mail-gone");
    expect(gone).toMatchObject({ emailedAt: null, emailAttempts: 1 });
    expect(gone.emailError).toContain("No such user");
    expect(gone.emailFailedAt).not.toBeNull();
    expect(await stateOf("mail-full")).toMatchObject({ emailAttempts: 1, emailFailedAt: null });

    // The full mailbox is tried again, then given up on; the unknown one is not tried again.
    expect(await sendPendingEmails(db, options)).toBe(0);
    const full = await stateOf("mail-full");
    expect(full.emailAttempts).toBe(2);
    expect(full.emailFailedAt).not.toBeNull();
    expect((await stateOf("mail-gone")).emailAttempts).toBe(1);
    expect(received).toHaveLength(2);
  });
});
