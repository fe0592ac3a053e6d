import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, generateSecret } from "./secret-box";

describe("the secret box", () => {
  const box = createSecretBox(randomBytes(32).toString("base64"));

  it("opens what it sealed, and never seals the same secret the same way twice", () => {
    const secret = generateSecret();
    const first = box.seal(secret);
    expect(box.open(first)).toBe(secret);
    expect(box.seal(secret)).not.toBe(first);
    expect(first).not.toContain(secret);
  });

  it("refuses a tampered secret and a secret sealed with another key", () => {
    const sealed = box.seal("client-secret");
    const parts = sealed.split(".");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."))).toThrow();
    expect(() => createSecretBox(randomBytes(32).toString("base64")).open(sealed)).toThrow();
  });

  it("refuses a key of the wrong size", () => {
    expect(() => createSecretBox(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
