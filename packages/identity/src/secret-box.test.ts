import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createSecretBox, generateSecret, sealedSecretContexts, secretKeyIdOf } from "./secret-box";

const newKey = () => randomBytes(32).toString("base64");
const hubA = sealedSecretContexts.hubOidcClientSecret("hub-a");
const hubB = sealedSecretContexts.hubOidcClientSecret("hub-b");

/** The first format exactly as the old box wrote it: no key id, no associated data. */
function sealV1(base64Key: string, plaintext: string, tagBytes = 16): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag().subarray(0, tagBytes);
  return ["v1", iv, tag, ciphertext].map((part) => part.toString("base64url")).join(".");
}

describe("the secret box", () => {
  const key = newKey();
  const box = createSecretBox(key);

  it("opens what it sealed, and never seals the same secret the same way twice", () => {
    const secret = generateSecret();
    const first = box.seal(secret, hubA);
    expect(box.open(first, hubA)).toBe(secret);
    expect(box.seal(secret, hubA)).not.toBe(first);
    expect(first).not.toContain(secret);
    expect(first.split(".").slice(0, 2)).toEqual(["v2", secretKeyIdOf(key)]);
  });

  it("refuses a tampered secret and a secret sealed with another key", () => {
    const sealed = box.seal("client-secret", hubA);
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => box.open(parts.join("."), hubA)).toThrow();
    expect(() => createSecretBox(newKey()).open(sealed, hubA)).toThrow();
  });

  it("refuses a key of the wrong size", () => {
    expect(() => createSecretBox(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
    expect(() => createSecretBox(newKey(), [randomBytes(16).toString("base64")])).toThrow(
      /32 bytes/,
    );
  });
});

describe("sealed secrets", () => {
  const key = newKey();
  const box = createSecretBox(key);

  it("sealed secrets: a value sealed for one row does not open for another", () => {
    const sealed = box.seal("hub-a-secret", hubA);
    // Swapped into another hub's row, into another column, or into another table: refused.
    expect(() => box.open(sealed, hubB)).toThrow();
    expect(() =>
      box.open(sealed, { table: "HubOidcClient", column: "otherColumn", rowId: "hub-a" }),
    ).toThrow();
    expect(() => box.open(sealed, sealedSecretContexts.signingKey("hub-a"))).toThrow();
    expect(() =>
      box.open(sealed, sealedSecretContexts.hubRuntimeState("hub-a", "portalTokenSealed")),
    ).toThrow();
    expect(box.open(sealed, hubA)).toBe("hub-a-secret");
  });

  it("sealed secrets: a value cannot be relabelled with another key id or downgraded to v1", () => {
    const old = newKey();
    const ring = createSecretBox(key, [old]);
    const sealed = ring.seal("secret", hubA);
    const parts = sealed.split(".");
    // The key id is bound too: claiming the other key of the ring fails.
    expect(() =>
      ring.open(["v2", secretKeyIdOf(old), ...parts.slice(2)].join("."), hubA),
    ).toThrow();
    // Stripped of its key id and dressed as the first format, it fails without the row binding.
    expect(() => ring.open(["v1", ...parts.slice(2)].join("."), hubA)).toThrow();
  });

  it("sealed secrets: a truncated authentication tag is refused", () => {
    const sealed = box.seal("client-secret", hubA);
    const parts = sealed.split(".");
    const tag = Buffer.from(parts[3] ?? "", "base64url");
    expect(tag).toHaveLength(16);
    for (const length of [4, 8, 12, 15]) {
      const truncated = [
        ...parts.slice(0, 3),
        tag.subarray(0, length).toString("base64url"),
        parts[4],
      ];
      expect(() => box.open(truncated.join("."), hubA)).toThrow();
    }
    // The old format, too: a v1 value with a 4-byte tag (which setAuthTag would accept) is refused.
    expect(() => box.open(sealV1(key, "client-secret", 4), hubA)).toThrow();
  });

  it("sealed secrets: values in the first format still open, and ask to be resealed", () => {
    const legacy = sealV1(key, "sealed-before-v2");
    expect(box.open(legacy, hubA)).toBe("sealed-before-v2");
    expect(box.needsReseal(legacy)).toBe(true);
    expect(box.needsReseal(box.seal("x", hubA))).toBe(false);
  });

  it("sealed secrets: the current key seals, previous keys still open", () => {
    const old = newKey();
    const sealedWithOld = createSecretBox(old).seal("from-before", hubA);
    const ring = createSecretBox(key, [old]);
    expect(ring.currentKeyId).toBe(secretKeyIdOf(key));
    expect(ring.open(sealedWithOld, hubA)).toBe("from-before");
    expect(ring.needsReseal(sealedWithOld)).toBe(true);
    const fresh = ring.seal("after", hubA);
    expect(fresh.split(".")[1]).toBe(secretKeyIdOf(key));
    expect(createSecretBox(key).open(fresh, hubA)).toBe("after");
    // Once the old key is dropped, what it sealed no longer opens: reseal first.
    expect(() => createSecretBox(key).open(sealedWithOld, hubA)).toThrow(/No key/);
  });
});
