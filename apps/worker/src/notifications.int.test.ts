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
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
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
});
